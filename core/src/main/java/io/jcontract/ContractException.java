package io.jcontract;

/**
 * The base of every error a contract operation reports. Each subclass stands
 * for one illumos error number ({@link #error()}); the message names the
 * contract, event or term at fault.
 */
public abstract class ContractException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final ContractError error;

    ContractException(ContractError error, String message) {
        super(message);
        this.error = error;
    }

    /** The illumos error this exception stands for. */
    public ContractError error() {
        return error;
    }
}
