package io.jcontract.bench;

import io.jcontract.ContractThreads;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Benchmark 1: start one virtual thread and join it. {@code plain} is the JDK alone;
 * {@code api} starts the thread through {@link ContractThreads} from a member of a contract, so
 * the thread is a member too (fork: join the member list; exit: leave it). The agent variant is
 * {@link io.jcontract.bench.agent.StartJoinAgent}. Allocation per op ({@code -prof gc}) minus
 * plain's is what a member costs in memory.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 4, time = 1)
@Fork(2)
public class StartJoin {
    /** The member's body: nothing, so that only start, join, fork and exit are measured. */
    public static final Runnable NOTHING = () -> { };

    @Benchmark
    public Thread plain() throws InterruptedException {
        Thread t = Thread.ofVirtual().start(NOTHING);
        t.join();
        return t;
    }

    @Benchmark
    public Thread api(InContract in) throws InterruptedException {
        Thread t = ContractThreads.startVirtual(NOTHING);
        t.join();
        return t;
    }
}
