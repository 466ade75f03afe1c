package io.jcontract;

/**
 * How a member left its contract, the named form of
 * {@link ContractEvent.Exit#status()}. The numbers are a process's exit
 * statuses, so tools that print them read as a shell would.
 */
public enum ExitStatus {
    /** Returned normally: {@link ContractEvent.Exit#STATUS_OK}, 0. */
    OK(ContractEvent.Exit.STATUS_OK),
    /** Ended by an uncaught throwable: {@link ContractEvent.Exit#STATUS_FAILED}, 1. */
    FAILED(ContractEvent.Exit.STATUS_FAILED),
    /**
     * Ended after it was killed, or killed before its body could run:
     * {@link ContractEvent.Exit#STATUS_KILLED}, 137 (128 + SIGKILL, as a shell shows {@code kill -9}).
     */
    KILLED(ContractEvent.Exit.STATUS_KILLED);

    private final int code;

    ExitStatus(int code) {
        this.code = code;
    }

    /** The numeric exit status. */
    public int code() {
        return code;
    }

    /**
     * The named status of {@code code}.
     *
     * @throws InvalidArgumentException if {@code code} is none of 0, 1, 137
     */
    public static ExitStatus of(int code) {
        for (ExitStatus s : values()) if (s.code == code) return s;
        throw new InvalidArgumentException("exit status " + code + " is none of 0 (OK), 1 (FAILED), 137 (KILLED)");
    }
}
