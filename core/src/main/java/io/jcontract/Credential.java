package io.jcontract;

import io.jcontract.internal.ContractTable;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Who a thread acts as: an identity (the JVM's user id) and a set of
 * {@link Privilege privileges}. Every thread has one; a thread it starts,
 * or a task it submits, inherits it. The JVM's first threads, and every
 * thread jcontract did not start, hold {@link #SYSTEM_IDENTITY} and every
 * privilege.
 *
 * <p>Credentials cannot be forged: there is no public constructor, and the
 * only way to a credential is down from the current one, by
 * {@linkplain #without dropping privileges} or, for a thread that holds
 * every privilege, by {@linkplain #as taking another identity}. A thread
 * {@linkplain #assume() assumes} a credential it dominates; it can never
 * raise its own.
 */
public final class Credential {
    /** The identity of threads jcontract did not start. */
    public static final String SYSTEM_IDENTITY = "system";

    static final Credential SYSTEM = new Credential(SYSTEM_IDENTITY, EnumSet.allOf(Privilege.class));

    private final String identity;
    private final Set<Privilege> privileges;

    private Credential(String identity, Set<Privilege> privileges) {
        this.identity = identity;
        this.privileges = Collections.unmodifiableSet(privileges.isEmpty()
                ? EnumSet.noneOf(Privilege.class) : EnumSet.copyOf(privileges));
    }

    /** The calling thread's credential. */
    public static Credential current() {
        return ContractTable.TABLE.current().credential();
    }

    /** The credential every thread starts with unless told otherwise. */
    public static Credential system() {
        return SYSTEM;
    }

    /** The identity. */
    public String identity() {
        return identity;
    }

    /** The privileges held. */
    public Set<Privilege> privileges() {
        return privileges;
    }

    /** Whether {@code p} is held. */
    public boolean has(Privilege p) {
        return privileges.contains(p);
    }

    /** Whether every privilege is held: such a credential may signal anybody and change identity. */
    public boolean isFullyPrivileged() {
        return privileges.size() == Privilege.values().length;
    }

    /** This credential without {@code dropped}. */
    public Credential without(Privilege... dropped) {
        EnumSet<Privilege> left = privileges.isEmpty() ? EnumSet.noneOf(Privilege.class) : EnumSet.copyOf(privileges);
        for (Privilege p : dropped) left.remove(Objects.requireNonNull(p));
        return new Credential(identity, left);
    }

    /**
     * This credential under another identity, keeping its privileges.
     *
     * @throws ContractPermissionException ({@code EPERM}) unless this credential is fully privileged
     * @throws InvalidArgumentException if {@code identity} is blank
     */
    public Credential as(String identity) {
        if (identity == null || identity.isBlank()) throw new InvalidArgumentException("identity is empty");
        if (!isFullyPrivileged())
            throw new ContractPermissionException(ContractError.EPERM, "credential of " + this.identity
                    + " lacks privileges " + missing() + ": it cannot take the identity " + identity);
        return new Credential(identity, EnumSet.copyOf(privileges));
    }

    private Set<Privilege> missing() {
        EnumSet<Privilege> m = EnumSet.allOf(Privilege.class);
        m.removeAll(privileges);
        return m;
    }

    /** Whether this credential is at least {@code other}: same identity or fully privileged, and a superset. */
    public boolean dominates(Credential other) {
        return privileges.containsAll(other.privileges)
                && (identity.equals(other.identity) || isFullyPrivileged());
    }

    /**
     * Makes this the calling thread's credential; what it starts from now on inherits it.
     *
     * @throws ContractPermissionException ({@code EPERM}) if the current credential does not dominate it
     */
    public void assume() {
        io.jcontract.internal.Credentials.assume(this);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Credential c && c.identity.equals(identity) && c.privileges.equals(privileges);
    }

    @Override
    public int hashCode() {
        return identity.hashCode() * 31 + privileges.hashCode();
    }

    @Override
    public String toString() {
        return identity + privileges;
    }
}
