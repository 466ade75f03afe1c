package io.jcontract.bench.agent;

import io.jcontract.bench.InContract;
import io.jcontract.bench.Pools;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark 3 under the agent: the unwrapped pool of {@link Pools}, from a member of a contract,
 * so the agent makes each task a pending member, then a member while it runs
 * (baseline: {@code ExecutorSubmit.plain}, the same code without the agent).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 4, time = 1)
@Fork(2)
public class ExecutorSubmitAgent {

    @Benchmark
    @OperationsPerInvocation(Pools.BATCH)
    public int agent(Pools p, InContract in) throws InterruptedException, ExecutionException {
        return p.batch(p.executor());
    }
}
