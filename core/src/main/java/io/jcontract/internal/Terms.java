package io.jcontract.internal;

import io.jcontract.EventType;
import io.jcontract.Param;

/**
 * The terms of a template once activated: an immutable copy, shared by every
 * thread it is copied to and by every contract created from it.
 *
 * @param transfer the id of the contract whose inherited contracts a new contract takes over,
 *        or 0; an id, not the contract, so that a contract's terms never keep a dead
 *        predecessor reachable (ids are never reused)
 * @param identity the service identity, or null to inherit the parent contract's
 */
public record Terms(int informative, int critical, int fatal, int params, long cookie,
                    int transfer, String identity, String aux) {

    /** The illumos user default: informative CORE|SIGNAL, critical EMPTY|HWERR, fatal HWERR. */
    public static final Terms DEFAULT = new Terms(
            Bits.events(EventType.CORE, EventType.SIGNAL),
            Bits.events(EventType.EMPTY, EventType.HWERR),
            Bits.of(EventType.HWERR), 0, 0L, 0, null, "");

    /**
     * The terms of the root contract, home of every thread that is in no
     * other contract. Nobody holds it, so nothing in it is critical and
     * nothing fatal (a VM error in one stray thread must not kill every
     * other); it publishes no events at all (see ContractImpl.untracked).
     */
    static final Terms ROOT = new Terms(Bits.events(EventType.CORE, EventType.SIGNAL, EventType.HWERR), 0, 0,
            Bits.of(Param.NOORPHAN), 0L, 0, "jvm:/root", "");

    boolean has(Param p) {
        return (params & Bits.of(p)) != 0;
    }

    /** Whether an event of this type is published at all (illumos EVSENDP). */
    boolean sends(EventType t) {
        return ((informative | critical) & Bits.of(t)) != 0;
    }

    boolean isCritical(EventType t) {
        return (critical & Bits.of(t)) != 0;
    }

    boolean isFatal(EventType t) {
        return (fatal & Bits.of(t)) != 0;
    }
}
