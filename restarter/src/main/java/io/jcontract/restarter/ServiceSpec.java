package io.jcontract.restarter;

import io.jcontract.EventType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * How to run one service (an SMF service manifest, reduced): its name, its
 * start and stop methods, what restarts it, and what it depends on.
 *
 * <p>The service contract's terms follow from it (SEMANTICS 1.8): params
 * INHERIT | REGENT | NOORPHAN; critical set = {@link RestartOn#restartEvents()}
 * minus {@code ignoreError}, plus EMPTY (always: see {@link RestartOn});
 * informative set = the faults (CORE, SIGNAL, HWERR) that are not critical,
 * so that they still reach observers; fatal set empty (the restarter kills
 * the whole service itself); cookie {@link #COOKIE_START} (or
 * {@link #COOKIE_STOP} for the stop method's contract); service identity =
 * the name; transfer = the service's previous contract.
 *
 * @param name the service identity, e.g. {@code svc:/demo/http:default}
 * @param start the start method, run as the first member of a new contract
 * @param stop the stop method, or {@code null}: run in a contract of its own
 *             when the service is stopped; the service then has
 *             {@code stopTimeout} to empty by itself before it is killed
 * @param restartOn which events restart it
 * @param ignoreError faults taken out of the critical set: a subset of {CORE, SIGNAL}.
 *                    An ignored fault is informative: it neither restarts nor stops the
 *                    service; the service restarts only when it empties (per {@code restartOn})
 * @param startTimeout how long the start method may take to be ready
 * @param stopTimeout how long a kill waits for EMPTY before stragglers are reported
 *                    (and, with a stop method, how long the service has to empty after it)
 * @param dependencies services that must be ONLINE before this one starts; they
 *                     must have been added before it (so there are no cycles), and
 *                     are stopped after it
 * @param essential whether MAINTENANCE of this service calls the restarter's {@link Escalation}
 */
public record ServiceSpec(String name, StartMethod start, Runnable stop, RestartOn restartOn,
                          Set<EventType> ignoreError, Duration startTimeout, Duration stopTimeout,
                          List<String> dependencies, boolean essential) {

    /** Cookie of a contract running a start method (and then the service). */
    public static final long COOKIE_START = 0x5354_4152_54L;   // "START"
    /** Cookie of a contract running a stop method. */
    public static final long COOKIE_STOP = 0x53_544f_50L;       // "STOP"

    private static final Set<EventType> FAULTS = EnumSet.of(EventType.CORE, EventType.SIGNAL, EventType.HWERR);

    public ServiceSpec {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) throw new IllegalArgumentException("service name is blank");
        Objects.requireNonNull(start, "start method");
        Objects.requireNonNull(restartOn, "restartOn");
        ignoreError = ignoreError == null || ignoreError.isEmpty()
                ? Collections.unmodifiableSet(EnumSet.noneOf(EventType.class))
                : Collections.unmodifiableSet(EnumSet.copyOf(ignoreError));
        for (EventType t : ignoreError)
            if (t != EventType.CORE && t != EventType.SIGNAL)
                throw new IllegalArgumentException("ignore_error may hold only CORE and SIGNAL, not " + t);
        requirePositive(startTimeout, "startTimeout");
        requirePositive(stopTimeout, "stopTimeout");
        dependencies = List.copyOf(dependencies == null ? List.of() : dependencies);
        if (dependencies.contains(name)) throw new IllegalArgumentException(name + " depends on itself");
    }

    private static void requirePositive(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(what + " must be positive: " + d);
    }

    /** The critical set of the service's contracts. */
    public Set<EventType> criticalSet() {
        EnumSet<EventType> s = EnumSet.of(EventType.EMPTY);
        s.addAll(restartOn.restartEvents());
        s.removeAll(ignoreError);
        return s;
    }

    /** The informative set of the service's contracts: the faults that are not critical. */
    public Set<EventType> informativeSet() {
        EnumSet<EventType> s = EnumSet.copyOf(FAULTS);
        s.removeAll(criticalSet());
        return s;
    }

    /** Whether {@code type}, read as a critical event, restarts the service. */
    public boolean restartsOn(EventType type) {
        return restartOn.restartEvents().contains(type) && !ignoreError.contains(type);
    }

    /** A builder for the service {@code name}; defaults: restart_on ALL, start timeout 5 s, stop timeout 2 s. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Builds a {@link ServiceSpec}. */
    public static final class Builder {
        private final String name;
        private StartMethod start;
        private Runnable stop;
        private RestartOn restartOn = RestartOn.ALL;
        private final Set<EventType> ignoreError = EnumSet.noneOf(EventType.class);
        private Duration startTimeout = Duration.ofSeconds(5);
        private Duration stopTimeout = Duration.ofSeconds(2);
        private final List<String> dependencies = new ArrayList<>();
        private boolean essential;

        private Builder(String name) {
            this.name = name;
        }

        /** The start method; it may call {@link ServiceContext#ready()}. */
        public Builder start(StartMethod start) {
            this.start = start;
            return this;
        }

        /** A start method that is ready when it returns (it starts the service's threads and returns). */
        public Builder start(Runnable start) {
            Objects.requireNonNull(start, "start method");
            this.start = ctx -> start.run();
            return this;
        }

        public Builder stop(Runnable stop) {
            this.stop = stop;
            return this;
        }

        public Builder restartOn(RestartOn restartOn) {
            this.restartOn = restartOn;
            return this;
        }

        /** Adds faults to ignore (CORE, SIGNAL). */
        public Builder ignoreError(EventType... types) {
            Collections.addAll(ignoreError, types);
            return this;
        }

        public Builder startTimeout(Duration timeout) {
            this.startTimeout = timeout;
            return this;
        }

        public Builder stopTimeout(Duration timeout) {
            this.stopTimeout = timeout;
            return this;
        }

        /** Adds services this one starts after (and stops before). */
        public Builder dependsOn(String... services) {
            Collections.addAll(dependencies, services);
            return this;
        }

        public Builder essential(boolean essential) {
            this.essential = essential;
            return this;
        }

        public ServiceSpec build() {
            return new ServiceSpec(name, start, stop, restartOn, ignoreError, startTimeout, stopTimeout,
                    dependencies, essential);
        }
    }
}
