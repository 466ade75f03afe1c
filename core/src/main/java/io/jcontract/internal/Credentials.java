package io.jcontract.internal;

/**
 * Where privilege checks happen. Credentials (an identity and the
 * {@code contract_event}, {@code contract_observer} and
 * {@code contract_identity} privileges, inherited at fork) arrive with their
 * own issue; until then every thread counts as privileged and shares one
 * identity, but every check already goes through here so that adding them
 * changes this class, not its callers.
 */
public final class Credentials {
    private static final Object DEFAULT_IDENTITY = "default";

    private Credentials() {
    }

    /** The identity whose live contracts count against the limit ({@code project.max-contracts}). */
    static Object limitIdentity(Member m) {
        return DEFAULT_IDENTITY;
    }

    /** Whether the caller may put events beyond fatal ∪ {EMPTY} in a critical set. */
    public static boolean hasContractEvent() {
        return true;
    }

    /** Whether the caller may set a service identity. */
    public static boolean hasContractIdentity() {
        return true;
    }

    /** Whether a CORE or SIGNAL kill of {@code c}, caused by {@code offender}, may reach {@code victim}. */
    static boolean mayKill(ContractImpl c, Member offender, Member victim) {
        return true;
    }
}
