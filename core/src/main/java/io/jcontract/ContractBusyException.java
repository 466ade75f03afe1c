package io.jcontract;

/** Thrown when another thread won a race for the same contract, for example a concurrent adopt (illumos {@code EBUSY}). */
public final class ContractBusyException extends ContractException {
    private static final long serialVersionUID = 1L;

    /** @param message names the contract, event or term at fault */
    public ContractBusyException(String message) {
        super(ContractError.EBUSY, message);
    }
}
