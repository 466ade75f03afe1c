package io.jcontract.bench;

import io.jcontract.ContractThreads;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Benchmark 1: start and join virtual threads from a virtual thread. One invocation starts one
 * virtual "driver" thread, which starts {@link #BATCH} virtual threads one after another and joins
 * each; one op is one of those threads. {@code plain} is the JDK alone; {@code api} starts the
 * driver and its threads through {@link ContractThreads} from a member of a contract, so every one
 * of them is a member too (fork: join the contract; exit: leave it). The agent variant is
 * {@link io.jcontract.bench.agent.StartJoinAgent}. Allocation per op ({@code -prof gc}) minus
 * plain's is what a member costs in memory.
 *
 * <p>Why this shape (issue 14): a platform thread joining a virtual thread parks and is unparked
 * by the OS, about 80 µs on the reference machine, which hid the few hundred nanoseconds a fork
 * and an exit cost. A virtual thread joining a virtual thread is a continuation yield and a
 * resubmit. The benchmark thread's one platform join per invocation is spread over
 * {@link #BATCH} ops (under 0.1 µs each).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 4, time = 1)
@Fork(2)
public class StartJoin {
    /** The member's body: nothing, so that only start, join, fork and exit are measured. */
    public static final Runnable NOTHING = () -> { };
    /** Threads started and joined by one driver per invocation. */
    public static final int BATCH = 1000;

    private static final Function<Runnable, Thread> PLAIN = r -> Thread.ofVirtual().start(r);
    private static final Function<Runnable, Thread> API = ContractThreads::startVirtual;

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public Thread plain() throws InterruptedException {
        return batch(PLAIN);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public Thread api(InContract in) throws InterruptedException {
        return batch(API);
    }

    /**
     * Starts a driver with {@code start}; the driver starts and joins {@link #BATCH} threads with
     * {@code start}, one at a time. Returns the driver, joined.
     */
    public static Thread batch(Function<Runnable, Thread> start) throws InterruptedException {
        Thread[] failed = new Thread[1];
        Thread driver = start.apply(() -> {
            try {
                for (int i = 0; i < BATCH; i++) start.apply(NOTHING).join();
            } catch (InterruptedException e) {
                failed[0] = Thread.currentThread();
            }
        });
        driver.join();
        if (failed[0] != null) throw new IllegalStateException("start+join driver interrupted");
        return driver;
    }
}
