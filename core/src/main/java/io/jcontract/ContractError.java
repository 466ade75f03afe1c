package io.jcontract;

/**
 * The illumos error numbers that contract operations return, each mapped to
 * one exception type. The mapping is the documentation: a caller who knows
 * {@code contract(5)} knows what each exception means.
 */
public enum ContractError {
    /** {@link InvalidArgumentException}: a term or argument outside its domain. */
    EINVAL("invalid argument"),
    /** {@link NoSuchContractException}, {@link NoSuchEventException}. */
    ESRCH("no such contract or event"),
    /** {@link ContractPermissionException}: the caller does not hold the contract. */
    EACCES("permission denied"),
    /** {@link ContractPermissionException}: the caller lacks a privilege. */
    EPERM("operation not permitted"),
    /** {@link NotEmptyException}: the contract still has members. */
    ENOTEMPTY("contract not empty"),
    /** {@link ContractBusyException}: another thread won the race. */
    EBUSY("busy"),
    /** {@link ContractLimitException}, {@link ContractKilledException}: the fork cannot happen. */
    EAGAIN("resource temporarily unavailable"),
    /** {@link QueueGoneException}: the event queue is gone. */
    EIDRM("identifier removed"),
    /** {@link KillTimeoutException}: a closed contract did not empty within its grace. */
    ETIME("timer expired");

    private final String description;

    ContractError(String description) {
        this.description = description;
    }

    /** The C library's description of the error. */
    public String description() {
        return description;
    }
}
