package io.jcontract;

/**
 * Contract parameters (illumos {@code CT_PR_*}, in the order of their bit
 * values). The API takes and gives them as {@code Set<Param>}.
 */
public enum Param {
    /**
     * When the owner exits, the contract passes to the owner's own contract if
     * that one is a {@link #REGENT} (state {@link ContractState#INHERITED})
     * instead of being abandoned.
     */
    INHERIT,
    /** Abandoning the contract while it has members kills them first. */
    NOORPHAN,
    /** A fatal event kills only the members of the offender's member group. */
    PGRPONLY,
    /** The contract takes in the {@link #INHERIT} contracts of its members that exit. */
    REGENT,
    /**
     * The active template stays active in the started thread. By default a
     * started thread is a fork followed by an "exec" of its {@code Runnable}:
     * the template copied at fork is cleared before the body runs, so the
     * threads that the new member starts join its contract instead of each
     * creating a contract of its own.
     */
    KEEP_EXEC
}
