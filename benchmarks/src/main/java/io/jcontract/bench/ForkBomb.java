package io.jcontract.bench;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The fork bomb of issue 12 item 7, shared by {@link ForkBombStop} (the baseline: the bomb stops
 * itself, as well as hand-written code can) and {@code agent.ForkBombKillAgent} (one contract
 * kill). Each fork forks again through a platform thread, a virtual thread, a shared pool and
 * {@code CompletableFuture} (on 2 cores that is a new platform thread per task: the common pool's
 * parallelism is 1), until {@link #CAP} forks exist; then each sleeps a millisecond and tries again.
 * The cap counts a fork from the moment it is made (a started thread whose body has not run yet, a
 * task still queued), not from when its body runs, so the population is what the cap says.
 *
 * <p>Either way, what ends last is the forks in flight: about 80 of the 400 are inside
 * {@code Thread.start} at any moment. The JVM creates threads one at a time (under its threads
 * lock, each waiting for the new thread to be scheduled once), a thread inside {@code start0}
 * cannot be interrupted, and each such parent runs on, in its own code, once its child exists.
 *
 * <p>In {@linkplain #selfStopping() self-stopping} mode every fork is wrapped: it registers its
 * thread, skips its body if the stop flag is up, and counts itself out when it returns. {@link
 * #stop} raises the flag, interrupts every registered thread and waits until all forks made have
 * returned: the same "empty" a kill waits for, without jcontract.
 */
public final class ForkBomb {
    public static final int CAP = 400;

    private final ExecutorService pool;
    private final boolean selfStopping;
    private final AtomicInteger forks = new AtomicInteger(1);     // the first bomb, started by arm()
    private final CountDownLatch saturated = new CountDownLatch(1);
    private final Runnable bomb = this::bomb;
    // self-stopping mode only
    private final Runnable counted = this::counted;
    private final AtomicInteger live = new AtomicInteger();
    private final Set<Thread> running = ConcurrentHashMap.newKeySet();
    private final CountDownLatch empty = new CountDownLatch(1);
    private volatile boolean stop;

    private ForkBomb(ExecutorService pool, boolean selfStopping) {
        this.pool = pool;
        this.selfStopping = selfStopping;
    }

    /** A bomb that a contract kill ends; its forks go to {@code pool} among others. */
    public static ForkBomb killable(ExecutorService pool) {
        return new ForkBomb(pool, false);
    }

    /** A bomb that {@link #stop} ends, with no contract. */
    public static ForkBomb selfStopping(ExecutorService pool) {
        return new ForkBomb(pool, true);
    }

    /** Starts the first fork on a new platform thread and waits until the cap is reached. */
    public void arm() throws InterruptedException {
        if (selfStopping) live.incrementAndGet();
        new Thread(selfStopping ? counted : bomb).start();
        if (!saturated.await(30, TimeUnit.SECONDS)) throw new IllegalStateException("the bomb never reached its cap");
    }

    /** Self-stopping mode: stops every fork and waits until all have returned; false on timeout. */
    public boolean stop(long timeout, TimeUnit unit) throws InterruptedException {
        stop = true;
        for (Thread t : running) t.interrupt();
        return empty.await(timeout, unit);
    }

    private void counted() {
        Thread me = Thread.currentThread();
        running.add(me);
        try {
            if (!stop) bomb();
        } finally {
            running.remove(me);
            if (live.decrementAndGet() == 0) empty.countDown();
        }
    }

    private void bomb() {
        Runnable next = selfStopping ? counted : bomb;
        try {
            for (int i = 0; !stop; i++) {
                if (forks.get() >= CAP) {
                    saturated.countDown();
                    Thread.sleep(1);
                    continue;
                }
                forks.incrementAndGet();                // counted before it exists: no overshoot
                if (selfStopping) live.incrementAndGet();
                try {
                    switch (i & 3) {
                        case 0 -> new Thread(next).start();
                        case 1 -> Thread.ofVirtual().start(next);
                        case 2 -> pool.execute(next);
                        default -> CompletableFuture.runAsync(next);
                    }
                } catch (RuntimeException refused) {  // the kill's ContractKilledException, a rejection
                    forks.decrementAndGet();
                    if (selfStopping && live.decrementAndGet() == 0) empty.countDown();
                    throw refused;
                }
            }
        } catch (InterruptedException | RuntimeException e) {
            // killed or stopped
        } finally {
            forks.decrementAndGet();
        }
    }
}
