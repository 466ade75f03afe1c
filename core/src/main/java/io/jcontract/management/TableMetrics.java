package io.jcontract.management;

import io.jcontract.ContractState;
import io.jcontract.EventType;
import io.jcontract.internal.Monitoring;
import io.jcontract.internal.Telemetry;

import java.util.Map;

/**
 * The read-only counters of the contract table that a metrics binder publishes (the
 * {@code jcontract-micrometer} module's {@code ContractMetrics}), so that it needs nothing of
 * {@code io.jcontract.internal}.
 *
 * <h2>Theory of operation</h2>
 * A stateless facade: every method reads the kernel's counters when called (the table's live
 * contracts, or a {@code LongAdder} sum), takes no lock of the kernel's and changes nothing.
 * Reading needs no privilege, like {@code ct_status}. Counts are monotonic since the JVM started,
 * except the gauges {@link #contractsByState()}, {@link #members()} and {@link #pendingTasks()}.
 */
public final class TableMetrics {
    private TableMetrics() {
    }

    /**
     * Live contracts by state (the root included, as OWNED); DEAD is always 0.
     *
     * @return a count for every state
     */
    public static Map<ContractState, Integer> contractsByState() {
        return Monitoring.countByState();
    }

    /**
     * Running members (threads and running tasks) of every live contract.
     *
     * @return the member count
     */
    public static long members() {
        return Monitoring.memberCounts()[0];
    }

    /**
     * Tasks handed to contract executors that have not started.
     *
     * @return the pending task count
     */
    public static long pendingTasks() {
        return Monitoring.memberCounts()[1];
    }

    /**
     * Events published so far of {@code type}, critical or informative.
     *
     * @param type the event type
     * @param critical whether to count the critical or the informative ones
     * @return the count since start
     */
    public static long events(EventType type, boolean critical) {
        if (type == null) throw new io.jcontract.InvalidArgumentException("type is null");
        return Telemetry.events(type, critical);
    }

    /**
     * Informative events dropped by any queue (no listener, or over capacity).
     *
     * @return the count since start
     */
    public static long informativeEventsDropped() {
        return Telemetry.informativeDropped();
    }

    /**
     * Kills so far (by holders, fatal events, NOORPHAN, the system).
     *
     * @return the count since start
     */
    public static long kills() {
        return Telemetry.kills();
    }

    /**
     * Kills after which the contract emptied.
     *
     * @return the count since start
     */
    public static long killsEmptied() {
        return Telemetry.killsEmptied();
    }

    /**
     * Total time from kill to empty of the {@linkplain #killsEmptied() kills that emptied}.
     *
     * @return nanoseconds since start
     */
    public static long killToEmptyNanos() {
        return Telemetry.killToEmptyNanos();
    }

    /**
     * Forks refused because the parent was killed or the contract dead ({@code ContractKilledException}).
     *
     * @return the count since start
     */
    public static long forksRefusedKilled() {
        return Telemetry.forksRefusedKilled();
    }

    /**
     * Forks refused by the limit on live contracts ({@code ContractLimitException}).
     *
     * @return the count since start
     */
    public static long forksRefusedLimit() {
        return Telemetry.forksRefusedLimit();
    }
}
