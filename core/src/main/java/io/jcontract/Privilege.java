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
    CONTRACT_IDENTITY
}
