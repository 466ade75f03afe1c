package io.jcontract;

/** How much a {@link ContractStatus} holds (illumos {@code CTD_COMMON}, {@code CTD_FIXED}, {@code CTD_ALL}). */
public enum StatusDetail {
    /** Id, type, state, holder, unacknowledged critical events, cookie, event sets. */
    COMMON,
    /** Also the parameters, the fatal set and the service contract id. */
    FIXED,
    /** Also members, inherited contracts, creator, creator aux, service identity. */
    ALL
}
