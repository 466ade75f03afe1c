package io.jcontract.example.appserver;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveTask;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A job engine written the way a third-party library is: it makes its own
 * {@link ForkJoinPool} for the computation and a
 * {@link ScheduledThreadPoolExecutor} for housekeeping, starts a thread for
 * exports, and knows nothing about contracts (no jcontract import).
 *
 * <p>With the java agent, every task it hands to its pools and the threads
 * it starts join the contract of the code that calls it: the worker
 * service's. That is the point: the restarter can kill and restart this
 * code as a whole without it cooperating. Its pools' worker threads are
 * never members; {@link #close()} shuts them down.
 *
 * <p>Thread safety: {@link #process} is called by one thread; the pools are thread-safe.
 */
final class WorkerLibrary implements AutoCloseable {
    /** Segments of a job's data summed by one leaf task. */
    private static final int LEAF = 512;

    private final ForkJoinPool pool = new ForkJoinPool(2);
    private final ScheduledThreadPoolExecutor housekeeping = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "worker-housekeeping");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong completed = new AtomicLong();
    private final StopSignal remoteStore;
    private final Consumer<Thread> exportStarted;
    private volatile long flushedCount;

    /**
     * @param remoteStore what an export waits for (a store that answers only when the demo ends)
     * @param exportStarted told of each export thread as it starts
     */
    WorkerLibrary(StopSignal remoteStore, Consumer<Thread> exportStarted) {
        this.remoteStore = remoteStore;
        this.exportStarted = exportStarted;
        // A periodic task: with the agent, one member of the caller's contract per run.
        housekeeping.scheduleAtFixedRate(this::flushStats, 200, 200, TimeUnit.MILLISECONDS);
    }

    /** Processes a job on the pool: a fork/join checksum of its data; an export runs on a thread of its own. */
    void process(Job job) {
        if (job.payload().equals(Job.EXPORT)) {
            export(job);
            return;
        }
        // execute(): an exception thrown here reaches the pool's uncaught handler, nobody keeps it.
        pool.execute(() -> {
            byte[] data = data(job);
            long sum = new Checksum(data, 0, data.length, job.payload()).invoke();
            completed.incrementAndGet();
            job.result().complete(job.payload() + ":" + Long.toHexString(sum));
        });
    }

    /** Writes a snapshot to the remote store; the store never answers, and the wait ignores interrupts. */
    private void export(Job job) {
        Thread.ofPlatform().name(exportThreadName(job.id())).daemon(true).start(() -> {
            exportStarted.accept(Thread.currentThread());
            remoteStore.awaitIgnoringInterrupts();
            job.result().complete("exported");
        });
    }

    /** The name of the thread that runs export job {@code jobId}. */
    static String exportThreadName(long jobId) {
        return "worker-export-" + jobId;
    }

    private void flushStats() {
        flushedCount = completed.get();
    }

    long completed() {
        return flushedCount;
    }

    @Override
    public void close() {
        housekeeping.shutdownNow();
        pool.shutdownNow();
    }

    private static byte[] data(Job job) {
        return (job.payload() + "#" + job.id()).repeat(200).getBytes(StandardCharsets.UTF_8);
    }

    /** Sums a range of bytes, splitting it in two forked halves down to {@link #LEAF}. */
    private static final class Checksum extends RecursiveTask<Long> {
        private final byte[] data;
        private final int from, to;
        private final String payload;

        Checksum(byte[] data, int from, int to, String payload) {
            this.data = data;
            this.from = from;
            this.to = to;
            this.payload = payload;
        }

        @Override
        protected Long compute() {
            if (to - from <= LEAF) {
                if (payload.equals(Job.CORRUPT) && from >= 3 * LEAF)
                    throw new IllegalStateException("checksum mismatch in segment " + from / LEAF + " of a corrupt job");
                long s = 0;
                for (int i = from; i < to; i++) s = 31 * s + data[i];
                return s;
            }
            int mid = (from + to) >>> 1;
            Checksum left = new Checksum(data, from, mid, payload);
            left.fork();
            long right = new Checksum(data, mid, to, payload).compute();
            return left.join() * 17 + right;
        }
    }
}
