package io.jcontract;

/** Thrown when no contract has the given id, or the thread created none (illumos {@code ESRCH}). */
public final class NoSuchContractException extends ContractException {
    private static final long serialVersionUID = 1L;

    /** @param message names the contract, event or term at fault */
    public NoSuchContractException(String message) {
        super(ContractError.ESRCH, message);
    }
}
