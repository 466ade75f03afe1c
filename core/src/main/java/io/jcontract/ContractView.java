package io.jcontract;

/**
 * A read-only view of a contract: what anybody may see. The owner's
 * {@link Contract} handle extends it with the operations that change the
 * contract; a view can never be turned into one.
 */
public interface ContractView {

    /** The contract id, 1 to 2<sup>31</sup>-1, never reused. */
    int id();

    /** The current state. */
    ContractState state();

    /** Status at the given level of detail. */
    ContractStatus status(StatusDetail detail);

    /** Status at {@link StatusDetail#COMMON} detail. */
    default ContractStatus status() {
        return status(StatusDetail.COMMON);
    }

    /**
     * A new listener on this contract's own event queue, starting at its head.
     * Who may observe: the contract's holder; a thread whose identity is the
     * contract's <em>author's</em> (the identity its creator had when it
     * created it, like illumos' {@code ct_cuid}; it does not follow the
     * holder's identity, which can drop or change with adoption); and a
     * thread with the {@code contract_observer} privilege. The bundle shows
     * non-observers the events of contracts of their own author identity by
     * the same rule.
     *
     * @throws ContractPermissionException if the caller may not observe this contract
     */
    EventListener events();

    /**
     * A new reliable listener: informative events are kept until it has read
     * them, however far behind it falls.
     *
     * @throws ContractPermissionException without the {@code contract_event} privilege
     */
    EventListener reliableEvents();
}
