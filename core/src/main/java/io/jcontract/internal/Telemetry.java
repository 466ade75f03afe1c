package io.jcontract.internal;

import io.jcontract.ContractKilledException;
import io.jcontract.EventType;

import io.jcontract.internal.jfr.JfrEvents;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters the monitoring views read (the Micrometer binder, the MXBean),
 * and the one place the model reports to them and to JFR.
 *
 * <h2>Theory of operation</h2>
 * Every counter is a {@link LongAdder}, only ever incremented, and global to
 * the JVM (like the table): readers sum them when asked, so the model pays
 * one uncontended add per publication, refused fork or kill, and never
 * allocates. There is no per-contract state here: what the views expose
 * has bounded cardinality (event type × criticality, refusal reason).
 * The methods are called with a contract lock held or with none; they take
 * no lock of their own.
 */
public final class Telemetry {
    private Telemetry() {
    }

    private static final LongAdder[] EVENTS = new LongAdder[EventType.values().length * 2];
    private static final LongAdder FORKS_REFUSED_KILLED = new LongAdder();
    private static final LongAdder FORKS_REFUSED_LIMIT = new LongAdder();
    private static final LongAdder KILLS = new LongAdder();
    private static final LongAdder KILLS_EMPTIED = new LongAdder();
    private static final LongAdder KILL_TO_EMPTY_NANOS = new LongAdder();

    static {
        for (int i = 0; i < EVENTS.length; i++) EVENTS[i] = new LongAdder();
    }

    // ------------------------------------------------------------------ from the model

    /** An event was published to the queues (under the contract's lock). */
    static void published(EventType type, boolean critical) {
        EVENTS[type.ordinal() * 2 + (critical ? 1 : 0)].increment();
    }

    /** A fork was refused: its parent was killed or its contract dead, or a limit was reached. */
    static void forkRefused(RuntimeException e) {
        if (e instanceof ContractKilledException) FORKS_REFUSED_KILLED.increment();
        else FORKS_REFUSED_LIMIT.increment();
    }

    /** A contract was killed (under its lock). */
    static void killed() {
        KILLS.increment();
    }

    /**
     * A kill ended (under the contract's lock): the contract emptied
     * {@code nanos} after the kill ({@code empty}), or a wait for it ended
     * then with {@code stragglers} members alive.
     */
    static void killEnded(int contractId, long nanos, int stragglers, boolean empty) {
        if (empty) {
            KILLS_EMPTIED.increment();
            KILL_TO_EMPTY_NANOS.add(nanos);
        }
        JfrEvents.kill(contractId, nanos, stragglers, empty);
    }

    // ------------------------------------------------------------------ for the views

    /** Events published so far of {@code type}, critical or informative. */
    public static long events(EventType type, boolean critical) {
        return EVENTS[type.ordinal() * 2 + (critical ? 1 : 0)].sum();
    }

    /** Forks refused because the parent was killed or the contract dead ({@code EAGAIN}, {@code ContractKilledException}). */
    public static long forksRefusedKilled() {
        return FORKS_REFUSED_KILLED.sum();
    }

    /** Forks refused by the limit on live contracts ({@code EAGAIN}, {@code ContractLimitException}). */
    public static long forksRefusedLimit() {
        return FORKS_REFUSED_LIMIT.sum();
    }

    /** Kills so far (by holders, fatal events, NOORPHAN, the system). */
    public static long kills() {
        return KILLS.sum();
    }

    /** Kills after which the contract emptied. */
    public static long killsEmptied() {
        return KILLS_EMPTIED.sum();
    }

    /** Total time from kill to empty of {@link #killsEmptied()}, in nanoseconds. */
    public static long killToEmptyNanos() {
        return KILL_TO_EMPTY_NANOS.sum();
    }

    /** Informative events dropped by any queue (no listener, or over capacity), since start. */
    public static long informativeDropped() {
        return EventQueue.informativeDroppedTotal();
    }
}
