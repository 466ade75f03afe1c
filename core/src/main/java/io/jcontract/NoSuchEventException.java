package io.jcontract;

/** Thrown when an acknowledged event id is unknown, informative or already acknowledged (illumos {@code ESRCH}). */
public final class NoSuchEventException extends ContractException {
    private static final long serialVersionUID = 1L;

    /** @param message names the contract, event or term at fault */
    public NoSuchEventException(String message) {
        super(ContractError.ESRCH, message);
    }
}
