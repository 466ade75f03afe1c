package io.jcontract.metrics;

import io.jcontract.ContractState;
import io.jcontract.EventType;
import io.jcontract.management.TableMetrics;
import io.jcontract.restarter.Restarter;
import io.jcontract.restarter.RestarterEvent;
import io.jcontract.restarter.ServiceState;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Micrometer meters for the contract table, in the jcontract-micrometer module (the only one that
 * depends on Micrometer; core does not).
 *
 * <pre>{@code
 * new ContractMetrics().bindTo(registry);                 // the table
 * ContractMetrics.forRestarter(restarter).bindTo(registry); // its services
 * }</pre>
 *
 * <p>Every meter has bounded cardinality: no tag names a contract or a
 * member. The table's meters read global counters the model keeps anyway
 * (read through core's {@link TableMetrics}) when the registry asks, so binding them costs the
 * model nothing more:
 * <table>
 * <caption>meters</caption>
 * <tr><th>name</th><th>type</th><th>tags</th><th>what</th></tr>
 * <tr><td>jcontract.contracts</td><td>gauge</td><td>state (owned, inherited, orphan)</td>
 *     <td>live contracts (the root contract counts as owned)</td></tr>
 * <tr><td>jcontract.members</td><td>gauge</td><td></td><td>running members (threads and running tasks)</td></tr>
 * <tr><td>jcontract.tasks.pending</td><td>gauge</td><td></td><td>pooled tasks handed off, not started</td></tr>
 * <tr><td>jcontract.events</td><td>function counter</td><td>type (empty, fork, exit, core, signal, hwerr),
 *     critical (true, false)</td><td>events published</td></tr>
 * <tr><td>jcontract.events.dropped</td><td>function counter</td><td></td>
 *     <td>informative events dropped by any queue (no listener, or over capacity)</td></tr>
 * <tr><td>jcontract.kills</td><td>function counter</td><td></td><td>kills (holder, fatal event, NOORPHAN, system)</td></tr>
 * <tr><td>jcontract.kill.duration</td><td>function timer</td><td></td>
 *     <td>time from a kill until its contract emptied</td></tr>
 * <tr><td>jcontract.forks.refused</td><td>function counter</td><td>reason (killed, limit)</td>
 *     <td>forks refused: {@code ContractKilledException}, {@code ContractLimitException}</td></tr>
 * </table>
 * and, per {@link #forRestarter restarter}, counters {@code jcontract.service.restarts} and
 * {@code jcontract.service.maintenance} with tag {@code service} (services are few and named by the
 * operator).
 */
public final class ContractMetrics implements MeterBinder {

    private final Tags tags;

    /** The table's meters, without extra tags. */
    public ContractMetrics() {
        this(Tags.empty());
    }

    /** The table's meters with {@code tags} added to each. */
    public ContractMetrics(Iterable<io.micrometer.core.instrument.Tag> tags) {
        this.tags = Tags.of(tags);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (ContractState s : ContractState.values()) {
            if (s == ContractState.DEAD) continue;   // dead contracts are not in the table
            Gauge.builder("jcontract.contracts", () -> TableMetrics.contractsByState().get(s))
                    .tags(tags).tag("state", lower(s))
                    .description("Live process contracts by state")
                    .register(registry);
        }
        Gauge.builder("jcontract.members", () -> TableMetrics.members())
                .tags(tags).description("Running members of all contracts").register(registry);
        Gauge.builder("jcontract.tasks.pending", () -> TableMetrics.pendingTasks())
                .tags(tags).description("Pooled tasks handed off to executors and not started").register(registry);
        for (EventType t : EventType.values()) {
            for (boolean critical : new boolean[] {false, true}) {
                FunctionCounter.builder("jcontract.events", t, type -> TableMetrics.events(type, critical))
                        .tags(tags).tag("type", lower(t)).tag("critical", Boolean.toString(critical))
                        .description("Contract events published").register(registry);
            }
        }
        FunctionCounter.builder("jcontract.events.dropped", TableMetrics.class, c -> TableMetrics.informativeEventsDropped())
                .tags(tags).description("Informative events dropped by event queues").register(registry);
        FunctionCounter.builder("jcontract.kills", TableMetrics.class, c -> TableMetrics.kills())
                .tags(tags).description("Contract kills").register(registry);
        FunctionTimer.builder("jcontract.kill.duration", TableMetrics.class, c -> TableMetrics.killsEmptied(),
                        c -> TableMetrics.killToEmptyNanos(), TimeUnit.NANOSECONDS)
                .tags(tags).description("Time from a kill until the contract emptied").register(registry);
        FunctionCounter.builder("jcontract.forks.refused", TableMetrics.class, c -> TableMetrics.forksRefusedKilled())
                .tags(tags).tag("reason", "killed")
                .description("Forks refused because the parent was killed (ContractKilledException)")
                .register(registry);
        FunctionCounter.builder("jcontract.forks.refused", TableMetrics.class, c -> TableMetrics.forksRefusedLimit())
                .tags(tags).tag("reason", "limit")
                .description("Forks refused by the contract limit (ContractLimitException)")
                .register(registry);
    }

    /**
     * The meters of {@code restarter}'s services: counters
     * {@code jcontract.service.restarts} and {@code jcontract.service.maintenance},
     * tagged {@code service}, counted from the restarter's event log from the
     * moment the binder is bound. Binding adds one listener to the restarter
     * per registry (binding again to the same registry adds nothing);
     * {@link RestarterBinder#close() closing} the binder removes them.
     */
    public static RestarterBinder forRestarter(Restarter restarter) {
        return new RestarterBinder(Objects.requireNonNull(restarter, "restarter"));
    }

    /** What {@link #forRestarter} returns: a binder that can take its listeners off the restarter again. */
    public static final class RestarterBinder implements MeterBinder, AutoCloseable {
        private final Restarter restarter;
        /** The listener added for each registry bound to, by identity. */
        private final java.util.Map<MeterRegistry, java.util.function.Consumer<RestarterEvent>> bound =
                new java.util.IdentityHashMap<>();

        private RestarterBinder(Restarter restarter) {
            this.restarter = restarter;
        }

        @Override
        public synchronized void bindTo(MeterRegistry registry) {
            Objects.requireNonNull(registry, "registry");
            if (bound.containsKey(registry)) return;
            java.util.function.Consumer<RestarterEvent> l = e -> count(registry, e);
            bound.put(registry, l);
            restarter.addListener(l);
        }

        /** Removes every listener this binder added; the meters stay in their registries. */
        @Override
        public synchronized void close() {
            for (var l : bound.values()) restarter.removeListener(l);
            bound.clear();
        }

        private static void count(MeterRegistry registry, RestarterEvent e) {
            if (e instanceof RestarterEvent.ServiceRestarting r) {
                registry.counter("jcontract.service.restarts", "service", r.service()).increment();
            } else if (e instanceof RestarterEvent.StateChanged c && c.to() == ServiceState.MAINTENANCE) {
                registry.counter("jcontract.service.maintenance", "service", c.service()).increment();
            } else if (e instanceof RestarterEvent.StateChanged c && c.from() == ServiceState.OFFLINE) {
                // make both counters visible (at 0) from the service's first start
                registry.counter("jcontract.service.restarts", "service", c.service());
                registry.counter("jcontract.service.maintenance", "service", c.service());
            }
        }
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
