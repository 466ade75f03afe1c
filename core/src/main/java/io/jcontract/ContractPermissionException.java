package io.jcontract;

/**
 * Thrown when the caller may not do what it asked: it does not hold the
 * contract (illumos {@code EACCES}) or lacks a privilege (illumos {@code EPERM}).
 */
public final class ContractPermissionException extends ContractException {
    private static final long serialVersionUID = 1L;

    /** @param error {@link ContractError#EACCES} or {@link ContractError#EPERM} */
    public ContractPermissionException(ContractError error, String message) {
        super(check(error), message);
    }

    private static ContractError check(ContractError error) {
        if (error != ContractError.EACCES && error != ContractError.EPERM)
            throw new IllegalArgumentException("not a permission error: " + error);
        return error;
    }
}
