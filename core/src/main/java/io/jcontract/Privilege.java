package io.jcontract;

/** The privileges contracts know about (illumos {@code PRIV_CONTRACT_*}). */
public enum Privilege {
    /**
     * Make events critical beyond fatal ∪ {EMPTY} (or beyond {EMPTY} with
     * {@link Param#PGRPONLY}), and open reliable listeners.
     */
    CONTRACT_EVENT,
    /** Read the queues of contracts held by other identities, and their events in the bundle. */
    CONTRACT_OBSERVER,
    /** Set a template's service identity. */
    CONTRACT_IDENTITY,
    /**
     * Change JVM-wide contract policy: the limit on live contracts
     * ({@link Contracts#setContractLimit}) and where the management MXBean
     * is registered ({@link io.jcontract.management.PlatformRegistration#install}).
     * Like illumos' {@code PRIV_SYS_RESOURCE}, which guards {@code project.max-contracts}.
     */
    SYS_RESOURCE
}
