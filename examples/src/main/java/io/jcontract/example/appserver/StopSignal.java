package io.jcontract.example.appserver;

import java.util.concurrent.CompletableFuture;

/**
 * The demo-wide stop flag: fired once, at the very end of the demo, after
 * the restarter has stopped every service. The one thing a hung member (a
 * thread stuck in a wait that ignores interrupts, like uninterruptible I/O)
 * waits for, so that it does end and no contract outlives the demo.
 */
final class StopSignal {
    private final CompletableFuture<Void> fired = new CompletableFuture<>();

    void fire() {
        fired.complete(null);
    }

    boolean fired() {
        return fired.isDone();
    }

    /**
     * Blocks until {@link #fire()}, ignoring interrupts (kills included): they
     * are remembered and the interrupt status is set again on return.
     */
    void awaitIgnoringInterrupts() {
        fired.join();
    }
}
