package io.jcontract.internal;

import io.jcontract.ContractEvent;

/**
 * An event as it travels through the queues: the immutable event plus the
 * one bit of shared mutable state, its acknowledgement. The same object sits
 * in the contract's queue, the bundle and the owner's queue, so an ack seen
 * through one is seen through all.
 *
 * <p>{@code acked} only goes from false to true, under the contract lock;
 * readers of the queues look at it without the lock, and at worst keep an
 * acknowledged event one trim longer.
 */
final class Published {
    final ContractEvent event;
    final boolean critical;
    /** The identity of the contract's author: what the bundle shows non-observers. */
    final String identity;
    volatile boolean acked;

    Published(ContractEvent event, String identity) {
        this.event = event;
        this.critical = event.critical();
        this.identity = identity;
    }

    /** Whether a queue must keep this event regardless of its listeners. */
    boolean pinned() {
        return critical && !acked;
    }
}
