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
import java.util.function.Function;

/**
 * Benchmark 2: Skynet, the Loom team's shape. Each node of a 10-ary tree of depth 6 is a
 * virtual thread: a node of size s starts ten children of size s/10 and sums what they return; a
 * leaf (size 1) returns its number. 1,111,111 threads, 1,000,000 leaves, sum 499,999,500,000.
 * {@code plain} starts them with {@code Thread.ofVirtual()}; {@code api} with
 * {@link ContractThreads#startVirtual} from inside a contract, so every node is a member of the
 * one contract (and they all fork and exit on its lock). Agent variant:
 * {@link io.jcontract.bench.agent.SkynetAgent}. One op is one whole tree.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 3)
@Fork(value = 2, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
public class Skynet {
    static final int SIZE = 1_000_000;
    static final long SUM = (long) SIZE * (SIZE - 1) / 2;

    @Benchmark
    public long plain() throws InterruptedException {
        return run(r -> Thread.ofVirtual().start(r));
    }

    @Benchmark
    public long api(InContract in) throws InterruptedException {
        return run(ContractThreads::startVirtual);
    }

    /** The whole tree, its root started by {@code start} like every other node. */
    public static long run(Function<Runnable, Thread> start) throws InterruptedException {
        long[] out = new long[1];
        start.apply(() -> out[0] = node(start, 0, SIZE)).join();
        if (out[0] != SUM) throw new AssertionError("skynet sum " + out[0] + " != " + SUM);
        return out[0];
    }

    private static long node(Function<Runnable, Thread> start, long num, int size) {
        if (size == 1) return num;
        int child = size / 10;
        long[] sums = new long[10];
        Thread[] kids = new Thread[10];
        for (int i = 0; i < 10; i++) {
            int k = i;
            kids[i] = start.apply(() -> sums[k] = node(start, num + (long) k * child, child));
        }
        long sum = 0;
        try {
            for (int i = 0; i < 10; i++) {
                kids[i].join();
                sum += sums[i];
            }
        } catch (InterruptedException e) {
            throw new IllegalStateException("skynet node interrupted", e);
        }
        return sum;
    }
}
