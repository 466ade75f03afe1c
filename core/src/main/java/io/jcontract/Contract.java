package io.jcontract;

import java.time.Duration;

/**
 * The control handle of a contract, held by its owner (the thread or task
 * that created it, or the one that adopted it). Only
 * {@link Contracts#latest()} hands it out, and only to the creator; the
 * owner may pass it to threads working on its behalf. Everybody else gets
 * a {@link ContractView}.
 *
 * <p>Operations on a contract its holder no longer owns (abandoned, dead)
 * fail with {@link ContractPermissionException}.
 */
public interface Contract extends ContractView {

    /**
     * Gives the contract up. An empty contract dies; one with members
     * becomes an {@linkplain ContractState#ORPHAN orphan} (after its members
     * are killed, with {@link Param#NOORPHAN}) and every critical event is
     * acknowledged.
     */
    void abandon();

    /**
     * Acknowledges a critical event of this contract.
     *
     * @throws NoSuchEventException if the event is unknown, informative or already acknowledged
     */
    void ack(long eventId);

    /** Acknowledges {@code event}; see {@link #ack(long)}. */
    default void ack(ContractEvent event) {
        if (event.contractId() != id())
            throw new NoSuchEventException("event " + event.id() + " belongs to contract "
                    + event.contractId() + ", not " + id());
        ack(event.id());
    }

    /**
     * Kills every member: marks each killed, interrupts it (a pooled task
     * only while it runs), cancels tasks still queued, and closes the
     * resources {@linkplain #register registered} with the contract. A
     * killed member can start no thread and submit no task.
     *
     * <p>Returns at once. What the contract owns (lifecycle objects, pools,
     * channels) is shut down and the registered resources are closed, in that
     * order, on a thread of the kill's own, each under its own bound
     * ({@code -Djcontract.kill.stepTimeout}, 10 s); failures and time-outs
     * are in the {@link KillReport#resources()} of later waits.
     *
     * @return a handle to wait for the contract to become empty
     */
    KillHandle kill();

    /**
     * Registers a resource to close when the contract is killed: it
     * unblocks I/O that ignores interrupts. Closed at most once (registering
     * the same object again does nothing); a resource registered after a
     * kill is closed at once. A contract that dies without a kill closes its
     * resources too, and keeps none of them. Closing never runs on the
     * caller's thread.
     */
    void register(AutoCloseable resource);

    /** A read-only view of this contract, for code that must not control it. */
    ContractView view();

    /** What a kill leads to. */
    interface KillHandle {
        /**
         * Waits up to {@code timeout} for the contract to have no members and
         * reports the members still alive then, with their stacks.
         */
        KillReport awaitEmpty(Duration timeout) throws InterruptedException;
    }
}
