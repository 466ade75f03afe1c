package io.jcontract;

/** Thrown when the contract named as a transfer term still has members (illumos {@code ENOTEMPTY}). */
public final class NotEmptyException extends ContractException {
    private static final long serialVersionUID = 1L;

    /** @param message names the contract, event or term at fault */
    public NotEmptyException(String message) {
        super(ContractError.ENOTEMPTY, message);
    }
}
