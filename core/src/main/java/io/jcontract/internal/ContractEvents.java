package io.jcontract.internal;

import io.jcontract.ContractEvent;
import io.jcontract.ContractState;
import io.jcontract.EventType;
import io.jcontract.NoSuchEventException;

import java.util.LinkedHashMap;

/**
 * A contract's events and their acknowledgement (illumos {@code contract.c}'s
 * event half): publishing to the three queues, and the critical events that
 * wait for the holder's acknowledgement.
 *
 * <h2>Theory of operation</h2>
 * One per contract ({@code ContractImpl.events}), with no state of its own:
 * it works on fields of its {@link ContractImpl}, all guarded by the
 * contract's lock ({@code ContractImpl.lock}): {@code unacked} (the critical
 * events not yet acknowledged, in publication order), {@code state} and
 * {@code owner}. Methods named {@code ...Locked} run with that lock held by
 * the caller; the others take it themselves.
 *
 * <p>An event is published under the contract lock: an id from the table's
 * counter, then a lock-free offer to the contract's queue, the bundle and the
 * holder's owner queue, in that order, so two events of one contract reach
 * all three queues in the same order. Invariants:
 * <ul>
 * <li>A critical event is in {@code unacked} from its publication until it is
 *     acknowledged, or until the contract has no holder (orphan, dead), when
 *     every one is marked acknowledged at once ({@link #ackAllLocked}).</li>
 * <li>An orphan's or a dead contract's critical events are acknowledged
 *     when published: nobody holds it to acknowledge them.</li>
 * <li>An acknowledgement by a holder's handle checks that it holds the
 *     contract under the same lock hold as the removal.</li>
 * </ul>
 * Trimming the queues after an acknowledgement ({@link #releaseAcked}) runs
 * after the contract lock is released; it takes only a queue's reader lock.
 * Lock order: {@link io.jcontract.internal the package documentation}.
 */
final class ContractEvents {
    private final ContractImpl contract;

    ContractEvents(ContractImpl contract) {
        this.contract = contract;
    }


    /** Publishes a death event (CORE, SIGNAL, HWERR) built with a fresh id, if the terms send it. */
    void publishDeath(EventType type, java.util.function.LongFunction<ContractEvent> build) {
        if (!sends(type)) return;
        contract.lock.lock();
        try {
            publishLocked(build.apply(contract.table.nextEventId()));
        } finally {
            contract.unlock();
        }
    }

    /** Whether an event of type {@code t} would be published at all (root sends nothing). */
    boolean sends(EventType t) {
        return !contract.untracked && contract.terms.sends(t);
    }

    boolean isCritical(EventType t) {
        return contract.terms.isCritical(t);
    }

    void publishLocked(ContractEvent e) {
        Telemetry.published(e.type(), e.critical());
        Published p = new Published(e, contract.author.identity());
        if (p.critical && contract.state != ContractState.ORPHAN && contract.state != ContractState.DEAD) {
            if (contract.unacked == null) contract.unacked = new LinkedHashMap<>();
            contract.unacked.put(e.id(), p);
        } else if (p.critical) {
            p.acked = true;             // nobody holds an orphan: its events are acknowledged at once
        }
        contract.queue.offer(p);
        contract.table.bundle.offer(p);
        OwnerState holder = contract.owner == null ? null : contract.owner.ownerStateOrNull();
        if (holder != null) holder.queue.offer(p);
    }

    /**
     * Acknowledges a critical event for the holder's handle, checking that
     * {@code holder} holds the contract under the same lock (null: no check).
     *
     * @return false if {@code holder} does not hold it now
     */
    boolean ackAsHolder(Member by, long eventId) {
        OwnerState holder;
        contract.lock.lock();
        try {
            if (by != null && (contract.owner != by || contract.state != ContractState.OWNED)) return false;
            Published p = contract.unacked == null ? null : contract.unacked.remove(eventId);
            if (p == null)
                throw new NoSuchEventException("event " + eventId + " is not an unacknowledged critical event of contract "
                        + contract.id + " (unknown, informative or already acknowledged)");
            p.acked = true;
            holder = contract.owner == null ? null : contract.owner.ownerStateOrNull();
        } finally {
            contract.unlock();
        }
        releaseAcked(holder);
        return true;
    }

    /** Whether critical event {@code eventId} of this contract still waits for its acknowledgement. */
    boolean isUnacked(long eventId) {
        contract.lock.lock();
        try {
            return contract.unacked != null && contract.unacked.containsKey(eventId);
        } finally {
            contract.unlock();
        }
    }

    /** Lets queues nobody reads free the events that were just acknowledged. */
    void releaseAcked(OwnerState holder) {
        if (contract.queue.listeners() == 0) contract.queue.trimNow();
        if (holder != null && holder.queue.listeners() == 0) holder.queue.trimNow();
    }

    void ackAllLocked() {
        if (contract.unacked == null) return;
        for (Published p : contract.unacked.values()) p.acked = true;
        contract.unacked = null;
    }
}
