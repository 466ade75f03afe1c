package io.jcontract;

import java.util.EnumSet;
import java.util.Set;

/**
 * Contract parameters, with the bit values of illumos {@code CT_PR_*}.
 */
public enum Param {
    /**
     * When the owner exits, the contract passes to the owner's own contract if
     * that one is a {@link #REGENT} (state {@link ContractState#INHERITED})
     * instead of being abandoned.
     */
    INHERIT(0x01),
    /** Abandoning the contract while it has members kills them first. */
    NOORPHAN(0x02),
    /** A fatal event kills only the members of the offender's member group. */
    PGRPONLY(0x04),
    /** The contract takes in the {@link #INHERIT} contracts of its members that exit. */
    REGENT(0x08),
    /**
     * The active template stays active in the started thread. By default a
     * started thread is a fork followed by an "exec" of its {@code Runnable}:
     * the template copied at fork is cleared before the body runs, so the
     * threads that the new member starts join its contract instead of each
     * creating a contract of its own.
     */
    KEEP_EXEC(0x10);

    /** Every parameter bit; anything outside it is invalid. */
    public static final int ALL_BITS = 0x1f;

    private final int bit;

    Param(int bit) {
        this.bit = bit;
    }

    /** The illumos bit of this parameter. */
    public int bit() {
        return bit;
    }

    /** The bit set of {@code params}. */
    public static int bits(Set<Param> params) {
        int bits = 0;
        for (Param p : params) bits |= p.bit;
        return bits;
    }

    /**
     * The parameters in {@code bits}.
     *
     * @throws InvalidArgumentException if a bit names no parameter
     */
    public static Set<Param> fromBits(long bits) {
        if ((bits & ~ALL_BITS) != 0)
            throw new InvalidArgumentException("parameter set 0x" + Long.toHexString(bits)
                    + " has unknown bits (known: 0x" + Integer.toHexString(ALL_BITS) + ")");
        EnumSet<Param> set = EnumSet.noneOf(Param.class);
        for (Param p : values())
            if ((bits & p.bit) != 0) set.add(p);
        return set;
    }
}
