package io.jcontract;

import java.nio.file.Path;

/**
 * An event of a process contract: immutable, the same object in the
 * contract's own queue, the bundle of all contracts and the owner's queue.
 *
 * <p>Every event has an id from one counter for all process contracts, the id
 * of the contract it happened in, whether it was critical when published
 * (critical events wait for {@link Contract#ack acknowledgement}; the others
 * are informative), and the member it is about. A member id is the member
 * thread's {@link Thread#threadId()}; a pooled task, which has no thread of its
 * own, gets an id from a separate sequence starting at {@link #TASK_ID_BASE}.
 *
 * <p>Whether a critical event has been acknowledged is state of the contract,
 * not of this value: see {@link ContractStatus#unackedCritical()}.
 */
public sealed interface ContractEvent {

    /** First member id given to pooled tasks (10<sup>15</sup>); thread ids stay far below it. */
    long TASK_ID_BASE = 1_000_000_000_000_000L;

    /** Event id: unique among process contract events, increasing in each contract. */
    long id();

    /** Id of the contract the event happened in. */
    int contractId();

    /** True if the event was in the contract's critical set when published. */
    boolean critical();

    /** The member the event is about. */
    long member();

    /** The kind of event. */
    EventType type();

    /** True if the event was published as informative. */
    default boolean informative() {
        return !critical();
    }

    /** The contract has no members left; {@code member} is the last one that left. */
    record Empty(long id, int contractId, boolean critical, long member) implements ContractEvent {
        @Override public EventType type() { return EventType.EMPTY; }
    }

    /** {@code parent} started {@code member} in this contract. */
    record Fork(long id, int contractId, boolean critical, long member, long parent) implements ContractEvent {
        @Override public EventType type() { return EventType.FORK; }
    }

    /**
     * {@code member} left the contract.
     *
     * @param status {@link #STATUS_OK}, {@link #STATUS_FAILED} or {@link #STATUS_KILLED}
     * @param cause the throwable the member ended with, or {@code null}
     */
    record Exit(long id, int contractId, boolean critical, long member, int status, Throwable cause)
            implements ContractEvent {
        /** Normal return. */
        public static final int STATUS_OK = 0;
        /** Ended by an uncaught throwable ({@code cause}). */
        public static final int STATUS_FAILED = 1;
        /** Ended after it was killed, or (a thread) was killed before its body could run (128 + SIGKILL). */
        public static final int STATUS_KILLED = 137;

        @Override public EventType type() { return EventType.EXIT; }

        /** The {@link #status()} by name: {@link ExitStatus#OK}, {@link ExitStatus#FAILED} or {@link ExitStatus#KILLED}. */
        public ExitStatus exitStatus() {
            return ExitStatus.of(status);
        }

        /** Whether the member was killed ({@link #STATUS_KILLED}). */
        public boolean killed() {
            return status == STATUS_KILLED;
        }
    }

    /**
     * {@code member} died of an uncaught throwable that is neither a VM error
     * nor the result of an outside interrupt.
     *
     * @param postMortem a file with the throwable and every member's stack, or {@code null}
     */
    record Core(long id, int contractId, boolean critical, long member, Throwable cause, Path postMortem)
            implements ContractEvent {
        @Override public EventType type() { return EventType.CORE; }
    }

    /**
     * {@code member} died after {@code sender}, a thread outside the contract
     * and not its owner, interrupted it.
     *
     * @param sender the interrupting thread's id
     * @param senderContract the sender's contract id, or 0 if unknown
     */
    record Signal(long id, int contractId, boolean critical, long member, Throwable cause, long sender,
                  int senderContract) implements ContractEvent {
        @Override public EventType type() { return EventType.SIGNAL; }
    }

    /** {@code member} died of a {@link VirtualMachineError}. */
    record HwErr(long id, int contractId, boolean critical, long member, VirtualMachineError error)
            implements ContractEvent {
        @Override public EventType type() { return EventType.HWERR; }
    }
}
