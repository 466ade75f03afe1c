package io.jcontract.bench;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * JMH state for benchmark 3: a pool of two workers (one per core of the reference machine), a
 * {@code ThreadPoolExecutor} ({@code tpe}) or a {@code ForkJoinPool} ({@code fjp}), and the batch
 * operation measured on it. One op is one task: {@link #BATCH} tasks are submitted back to back,
 * then each Future is waited for, so that the figure is per-task cost rather than one wake-up
 * latency (which would hide what a fork costs behind a park and an unpark).
 */
@State(Scope.Thread)
public class Pools {
    /** Tasks per benchmark invocation (the {@code @OperationsPerInvocation} of the users). */
    public static final int BATCH = 100;

    @Param({"tpe", "fjp"})
    public String pool;

    private ExecutorService executor;
    private final Future<?>[] futures = new Future<?>[BATCH];

    @Setup(Level.Trial)
    public void start() {
        executor = switch (pool) {
            case "tpe" -> new ThreadPoolExecutor(2, 2, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
            case "fjp" -> new ForkJoinPool(2);
            default -> throw new IllegalArgumentException("pool " + pool);
        };
    }

    @TearDown(Level.Trial)
    public void stop() throws InterruptedException {
        executor.shutdown();
        if (!executor.awaitTermination(10, TimeUnit.SECONDS)) throw new IllegalStateException(pool + " did not stop");
    }

    public ExecutorService executor() {
        return executor;
    }

    /** Submits {@link #BATCH} empty tasks to {@code to}, then waits for every one of them. */
    public int batch(ExecutorService to) throws InterruptedException, ExecutionException {
        for (int i = 0; i < BATCH; i++) futures[i] = to.submit(StartJoin.NOTHING);
        for (int i = 0; i < BATCH; i++) {
            futures[i].get();
            futures[i] = null;
        }
        return BATCH;
    }
}
