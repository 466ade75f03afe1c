package io.jcontract.internal;

import io.jcontract.ContractError;
import io.jcontract.ContractPermissionException;
import io.jcontract.Credential;
import io.jcontract.Privilege;

/**
 * The privilege rules of contracts, in one place (illumos
 * {@code secpolicy_contract_*} and {@code hasprocperm}). Credentials
 * themselves ({@link Credential}) are inherited at fork and only ever
 * lowered.
 */
public final class Credentials {
    private Credentials() {
    }

    static Credential of(Member m) {
        return m.credential();
    }

    /** The identity whose live contracts count against the limit ({@code project.max-contracts}). */
    static Object limitIdentity(Member m) {
        return m.credential().identity();
    }

    /** Whether the caller may put events beyond fatal ∪ {EMPTY} in a critical set, or listen reliably. */
    public static boolean hasContractEvent() {
        return ContractTable.TABLE.current().credential().has(Privilege.CONTRACT_EVENT);
    }

    /** Whether the caller may set a service identity. */
    public static boolean hasContractIdentity() {
        return ContractTable.TABLE.current().credential().has(Privilege.CONTRACT_IDENTITY);
    }

    /**
     * Whether the caller may read {@code c}'s own queue: its holder, a thread
     * of the same identity as its author, or an observer.
     */
    static boolean mayObserve(ContractImpl c, Member caller) {
        Credential cred = caller.credential();
        return cred.has(Privilege.CONTRACT_OBSERVER) || cred.identity().equals(c.author.identity())
                || c.succession.isHeldBy(caller);
    }

    /** Whether {@code sender} may signal {@code target} (illumos {@code hasprocperm}). */
    static boolean maySignal(Credential sender, Credential target) {
        return sender.isFullyPrivileged() || sender.identity().equals(target.identity());
    }

    /**
     * Whether a CORE or SIGNAL kill of {@code c}, caused by {@code offender}
     * (null for a kill by the holder), may reach {@code victim}: its author
     * or the offender must be able to signal it.
     */
    static boolean mayKill(ContractImpl c, Member offender, Member victim) {
        Credential v = victim.credential();
        return maySignal(c.author, v) || (offender != null && maySignal(offender.credential(), v));
    }

    /**
     * Checks that the calling thread holds {@code p} before it does
     * {@code what} (a change of JVM-wide policy, see {@link Privilege#SYS_RESOURCE}).
     *
     * @throws ContractPermissionException ({@code EPERM}) naming the missing privilege
     */
    public static void require(Privilege p, String what) {
        Credential cred = ContractTable.TABLE.current().credential();
        if (!cred.has(p))
            throw new ContractPermissionException(ContractError.EPERM, "cannot " + what + ": thread acting as "
                    + cred + " lacks the " + p + " privilege");
    }

    /**
     * Makes {@code c} the calling thread's credential ({@link Credential#assume()}): what it starts
     * from now on inherits it. Privileges are only ever dropped, whoever calls this: the check is
     * here, not only in the API, because on the class path this public class is reachable.
     *
     * @throws ContractPermissionException ({@code EPERM}) naming what the current credential lacks
     */
    public static void assume(Credential c) {
        if (c == null) throw new io.jcontract.InvalidArgumentException("credential is null");
        Member me = ContractTable.TABLE.current();
        Credential now = me.credential();
        if (!now.dominates(c)) {
            java.util.EnumSet<Privilege> lacking = java.util.EnumSet.noneOf(Privilege.class);
            for (Privilege p : Privilege.values()) if (c.has(p) && !now.has(p)) lacking.add(p);
            throw new ContractPermissionException(ContractError.EPERM, "thread acting as " + now + " cannot assume "
                    + c + ": privileges are only ever dropped"
                    + (lacking.isEmpty() ? " (another identity needs every privilege)" : "; it lacks " + lacking));
        }
        me.setCredential(c);
    }
}
