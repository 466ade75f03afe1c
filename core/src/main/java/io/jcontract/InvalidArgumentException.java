package io.jcontract;

/** Thrown when a template term, event set or argument is outside its domain (illumos {@code EINVAL}). */
public final class InvalidArgumentException extends ContractException {
    private static final long serialVersionUID = 1L;

    /** @param message names the contract, event or term at fault */
    public InvalidArgumentException(String message) {
        super(ContractError.EINVAL, message);
    }
}
