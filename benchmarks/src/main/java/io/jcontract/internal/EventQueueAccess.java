package io.jcontract.internal;

import io.jcontract.ContractEvent;
import io.jcontract.EventListener;

/**
 * Benchmark access to a contract's event queue without forking members: the producer side of
 * {@link EventQueue} is package-private, so this class lives in core's package (in the benchmarks
 * jar, on the class path, where a split package is one runtime package). It works only where the
 * benchmarks and core share a class loader, i.e. not under the agent, which loads core from the
 * boot class path.
 */
public final class EventQueueAccess {
    private final EventQueue queue;

    private EventQueueAccess(EventQueue queue) {
        this.queue = queue;
    }

    /** A queue like a contract's own: keeps critical events for later listeners, default capacity. */
    public static EventQueueAccess contractLike() {
        return new EventQueueAccess(new EventQueue("benchmark", true, EventQueue.DEFAULT_CAPACITY));
    }

    /** Publishes {@code e} as a contract does: wrapped once, then a lock-free offer. */
    public void offer(ContractEvent e) {
        queue.offer(new Published(e, "bench"));
    }

    /** An ordinary listener at the head of the queue. */
    public EventListener listen() {
        return queue.listen(false);
    }
}
