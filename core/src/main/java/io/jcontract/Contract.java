package io.jcontract;

import java.time.Duration;

/**
 * The control handle of a contract, held by its owner (the thread or task
 * that created it, or the one that adopted it). The call that creates the
 * contract returns it ({@link ContractTemplate#start},
 * {@link ContractTemplate#execute}); {@link Contracts#latest()} hands it out
 * afterwards, only to the creator, and {@link Contracts#adopt} to a regent.
 * The owner may pass it to threads working on its behalf. Everybody else
 * gets a {@link ContractView}.
 *
 * <p>It is {@link AutoCloseable}, as a {@code StructuredTaskScope} is:
 * {@link #close()} kills, waits for the contract to be empty within a grace,
 * and abandons it, so try-with-resources bounds the members' lives by a
 * block.
 *
 * <p>Operations on a contract its holder no longer owns (abandoned, dead)
 * fail with {@link ContractPermissionException}.
 */
public interface Contract extends ContractView, AutoCloseable {

    /**
     * The grace {@link #close()} gives a killed contract to empty:
     * {@code -Djcontract.close.grace=<ms>}, 10 s by default (read at each close).
     */
    static Duration defaultCloseGrace() {
        return Duration.ofMillis(Math.max(0, Long.getLong("jcontract.close.grace", 10_000L)));
    }

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

    /**
     * Ends the contract as a structured scope ends: {@linkplain #kill() kills}
     * every member, waits up to {@link #defaultCloseGrace()} for the contract
     * to be empty, and {@linkplain #abandon() abandons} it. So
     * {@code try (Contract c = terms.start(builder, body)) { ... }} leaves
     * nothing running when the block ends. See {@link #close(Duration)}.
     *
     * @throws KillTimeoutException if members were still alive at the end of the grace
     */
    @Override
    default void close() {
        close(defaultCloseGrace());
    }

    /**
     * Kills every member, waits up to {@code grace} for the contract to be
     * empty, and abandons it, in that order. Closing a contract its holder
     * no longer holds (closed or abandoned before, or dead) does nothing and
     * returns {@code null}.
     *
     * <p>If members are still alive at the end of the grace (a member stuck
     * in code that ignores interrupts) the contract is abandoned all the
     * same: it becomes an {@linkplain ContractState#ORPHAN orphan} whose
     * members stay killed (they can start nothing) and it dies when the last
     * of them ends; this method then throws {@link KillTimeoutException}
     * with the report naming them. An interrupt during the wait ends the wait
     * early the same way, and the thread's interrupt status is set again.
     *
     * @param grace how long to wait for the contract to empty
     * @return the kill's report, with {@link KillReport#empty()} true, or {@code null} if not held
     * @throws KillTimeoutException if members were still alive at the end of the grace
     * @throws InvalidArgumentException if {@code grace} is null or negative
     */
    KillReport close(Duration grace);

    /** What a kill leads to. */
    interface KillHandle {
        /**
         * Waits up to {@code timeout} for the contract to have no members and
         * reports the members still alive then, with their stacks.
         */
        KillReport awaitEmpty(Duration timeout) throws InterruptedException;

        /**
         * The same report as {@link #awaitEmpty}, without blocking the caller:
         * the future completes when the contract is empty, or when
         * {@code timeout} has passed (then {@link KillReport#empty()} is false),
         * on a thread of jcontract's own that never outlives the timeout.
         * Cancelling the future ends that wait at once.
         *
         * @throws InvalidArgumentException if {@code timeout} is null or negative
         */
        java.util.concurrent.CompletableFuture<KillReport> whenEmpty(Duration timeout);
    }
}
