package io.jcontract.bench.agent;

import io.jcontract.bench.InContract;
import io.jcontract.bench.StartJoin;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Benchmark 1 under the agent: {@link StartJoin#plain}'s code (a virtual driver thread starting
 * and joining {@link StartJoin#BATCH} virtual threads with {@code Thread.ofVirtual()}), from a
 * member of a contract, so the agent makes the driver and every thread a member
 * (baseline: {@code StartJoin.plain}, without the agent).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 4, time = 1)
@Fork(2)
public class StartJoinAgent {

    @Benchmark
    @OperationsPerInvocation(StartJoin.BATCH)
    public Thread agent(InContract in) throws InterruptedException {
        return StartJoin.batch(r -> Thread.ofVirtual().start(r));
    }
}
