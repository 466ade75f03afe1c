package io.jcontract.internal;

import io.jcontract.EventType;
import io.jcontract.InvalidArgumentException;
import io.jcontract.Param;

import java.util.EnumSet;
import java.util.Set;

/**
 * The illumos bit values of event types ({@code CT_PR_EV_*}) and parameters
 * ({@code CT_PR_*}), for the kernel's term sets and for command-line tools
 * that take numeric sets as {@code ctrun(1)} does. The public API speaks in
 * enum sets; only this class knows the numbers. Each constant's bit is
 * {@code 1 << ordinal()}, which matches illumos for both enums (a test pins
 * the values). Stateless.
 */
public final class Bits {
    /** Every event bit; anything outside it is an invalid event set. */
    public static final int EVENT_BITS = 0x3f;
    /** The events that may be fatal: CORE, SIGNAL, HWERR. */
    public static final int FATAL_BITS = 0x38;
    /** Every parameter bit; anything outside it is invalid. */
    public static final int PARAM_BITS = 0x1f;

    private Bits() {
    }

    /** The illumos bit of {@code t}. */
    public static int of(EventType t) {
        return 1 << t.ordinal();
    }

    /** The illumos bit of {@code p}. */
    public static int of(Param p) {
        return 1 << p.ordinal();
    }

    /** The bit set of {@code types}. */
    public static int events(Set<EventType> types) {
        int bits = 0;
        for (EventType t : types) bits |= of(t);
        return bits;
    }

    /** The bit set of {@code types}. */
    public static int events(EventType... types) {
        int bits = 0;
        for (EventType t : types) bits |= of(t);
        return bits;
    }

    /** The bit set of {@code params}. */
    public static int params(Set<Param> params) {
        int bits = 0;
        for (Param p : params) bits |= of(p);
        return bits;
    }

    /** The bit set of {@code params}. */
    public static int params(Param... params) {
        int bits = 0;
        for (Param p : params) bits |= of(p);
        return bits;
    }

    /**
     * The event types in {@code bits}.
     *
     * @throws InvalidArgumentException if a bit names no event type
     */
    public static Set<EventType> eventSet(long bits) {
        if ((bits & ~EVENT_BITS) != 0)
            throw new InvalidArgumentException("event set 0x" + Long.toHexString(bits)
                    + " has bits outside the event types (0x" + Integer.toHexString(EVENT_BITS) + ")");
        EnumSet<EventType> set = EnumSet.noneOf(EventType.class);
        for (EventType t : EventType.values())
            if ((bits & of(t)) != 0) set.add(t);
        return set;
    }

    /**
     * The parameters in {@code bits}.
     *
     * @throws InvalidArgumentException if a bit names no parameter
     */
    public static Set<Param> paramSet(long bits) {
        if ((bits & ~PARAM_BITS) != 0)
            throw new InvalidArgumentException("parameter set 0x" + Long.toHexString(bits)
                    + " has unknown bits (known: 0x" + Integer.toHexString(PARAM_BITS) + ")");
        EnumSet<Param> set = EnumSet.noneOf(Param.class);
        for (Param p : Param.values())
            if ((bits & of(p)) != 0) set.add(p);
        return set;
    }
}
