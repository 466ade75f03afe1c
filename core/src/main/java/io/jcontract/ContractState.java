package io.jcontract;

/** The life of a contract (illumos {@code CTS_*}). */
public enum ContractState {
    /** Held by the thread (or task) that created it, or by the one that adopted it. */
    OWNED,
    /** Its owner exited; held by the owner's regent contract until adopted. */
    INHERITED,
    /** Abandoned while it still had members; destroyed when the last one leaves. */
    ORPHAN,
    /** Destroyed: no members, no holder. Handles to it stay readable. */
    DEAD
}
