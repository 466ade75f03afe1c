package io.jcontract;

/** Thrown when a member that has been killed tried to start a thread or submit a task; the kill can never miss a child (illumos: {@code fork} by a parent with {@code SKILLED} fails). */
public final class ContractKilledException extends ContractException {
    private static final long serialVersionUID = 1L;

    /** @param message names the contract, event or term at fault */
    public ContractKilledException(String message) {
        super(ContractError.EAGAIN, message);
    }
}
