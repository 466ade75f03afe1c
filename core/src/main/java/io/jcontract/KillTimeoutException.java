package io.jcontract;

/**
 * Thrown by {@link Contract#close()} when the contract still had members at
 * the end of the grace: the kill was sent and the contract was abandoned
 * (it lives on as an {@linkplain ContractState#ORPHAN orphan} until its last
 * straggler ends, then dies), and {@link #report()} names the stragglers
 * with their stacks. Nothing is left behind silently (illumos {@code ETIME}).
 */
public final class KillTimeoutException extends ContractException {
    private static final long serialVersionUID = 1L;
    private final transient KillReport report;

    /**
     * @param message names the contract and the grace
     * @param report the kill's report at the end of the grace
     */
    public KillTimeoutException(String message, KillReport report) {
        super(ContractError.ETIME, message);
        this.report = report;
    }

    /** The kill's report at the end of the grace: the stragglers and rung 4's work so far. */
    public KillReport report() {
        return report;
    }
}
