package io.jcontract;

import java.util.EnumSet;
import java.util.Set;

/**
 * The kinds of event a process contract reports, with the bit values of
 * illumos {@code <sys/contract/process.h>} so that numeric event sets written
 * for {@code ctrun(1)} mean the same here.
 */
public enum EventType {
    /** The contract has no members left. Payload: the last member that left. */
    EMPTY(0x01),
    /** A member started a new member. Payload: child and parent. */
    FORK(0x02),
    /** A member ended. Payload: member and exit status. */
    EXIT(0x04),
    /** A member died of an uncaught throwable (the JVM's "core dump"). */
    CORE(0x08),
    /** A member died after an interrupt sent from outside its contract. */
    SIGNAL(0x10),
    /** A member died of a {@link VirtualMachineError}. */
    HWERR(0x20);

    /** Every event bit; anything outside it is an invalid event set. */
    public static final int ALL_BITS = 0x3f;
    /** The events that may be fatal. */
    public static final int FATAL_BITS = CORE.bit | SIGNAL.bit | HWERR.bit;

    private final int bit;

    EventType(int bit) {
        this.bit = bit;
    }

    /** The illumos bit of this event type ({@code CT_PR_EV_*}). */
    public int bit() {
        return bit;
    }

    /** The bit set of {@code types}. */
    public static int bits(Set<EventType> types) {
        int bits = 0;
        for (EventType t : types) bits |= t.bit;
        return bits;
    }

    /** The bit set of {@code types}. */
    public static int bits(EventType... types) {
        int bits = 0;
        for (EventType t : types) bits |= t.bit;
        return bits;
    }

    /**
     * The event types in {@code bits}.
     *
     * @throws InvalidArgumentException if a bit names no event type
     */
    public static Set<EventType> fromBits(long bits) {
        if ((bits & ~ALL_BITS) != 0)
            throw new InvalidArgumentException("event set 0x" + Long.toHexString(bits)
                    + " has bits outside the event types (0x" + Integer.toHexString(ALL_BITS) + ")");
        EnumSet<EventType> set = EnumSet.noneOf(EventType.class);
        for (EventType t : values())
            if ((bits & t.bit) != 0) set.add(t);
        return set;
    }
}
