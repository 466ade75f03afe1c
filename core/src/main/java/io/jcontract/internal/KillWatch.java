package io.jcontract.internal;

import io.jcontract.Contract;
import io.jcontract.KillReport;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The kill handle handed to a contract's holder: {@link #awaitEmpty} waits on
 * the caller's thread, {@link #whenEmpty} on a thread of its own.
 *
 * <h2>Theory of operation</h2>
 * {@code whenEmpty} starts one daemon platform thread per call, named
 * {@code jcontract-kill-<id>-watch} (so the agent never makes it a member:
 * it acts for the JVM, as the reaper does). It calls
 * {@link KillLadder#awaitEmpty} with the caller's bound and completes the
 * future with the report, so the thread never outlives the bound.
 * Cancelling the future interrupts the thread, which then ends at once.
 * The future is completed outside every contract lock; its dependent
 * actions run on the watch thread (or on the caller's, if already done).
 * No field is shared: each call has its own thread and future.
 */
final class KillWatch implements Contract.KillHandle {
    private final ContractImpl c;

    KillWatch(ContractImpl c) {
        this.c = c;
    }

    @Override
    public KillReport awaitEmpty(Duration timeout) throws InterruptedException {
        if (timeout == null) throw new io.jcontract.InvalidArgumentException("timeout is null");
        return c.kills.awaitEmpty(timeout);
    }

    @Override
    public CompletableFuture<KillReport> whenEmpty(Duration timeout) {
        if (timeout == null || timeout.isNegative())
            throw new io.jcontract.InvalidArgumentException("timeout " + timeout + " is not a duration >= 0");
        CompletableFuture<KillReport> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                f.complete(c.kills.awaitEmpty(timeout));
            } catch (InterruptedException e) {
                f.cancel(false);            // only a cancel of f interrupts this thread
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        }, KillReaper.THREAD_PREFIX + c.id + "-watch");
        t.setDaemon(true);
        f.whenComplete((r, e) -> {
            if (f.isCancelled()) t.interrupt();
        });
        t.start();
        return f;
    }
}
