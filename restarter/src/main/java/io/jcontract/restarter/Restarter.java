package io.jcontract.restarter;

import io.jcontract.Contract;
import io.jcontract.ContractEvent;
import io.jcontract.ContractTemplate;
import io.jcontract.ContractThreads;
import io.jcontract.Contracts;
import io.jcontract.EventListener;
import io.jcontract.EventType;
import io.jcontract.Param;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * SMF's svc.startd on contracts: runs services, each in a contract of its
 * own, restarts them when they fail, puts them in MAINTENANCE when they fail
 * too often, and survives its own death (SEMANTICS 1.8).
 *
 * <h2>Theory of operation</h2>
 * Three kinds of thread:
 * <ul>
 * <li>The <b>supervisor</b> (svc.startd's init): a daemon thread started by
 *     {@link #start()}. It creates a {@link Param#REGENT} contract whose only
 *     member is the restarter thread, then waits on its owner queue for that
 *     contract's EMPTY. If the restarter ended by {@link #stop}, it abandons
 *     the contract and ends; otherwise (the restarter died) it starts a new
 *     restarter thread in a new REGENT contract whose transfer term is the old
 *     one, so the service contracts the old one left INHERITED move to it.</li>
 * <li>The <b>restarter thread</b> ({@link RestarterLoop}, one per generation):
 *     the only thread that creates, kills, adopts and abandons service
 *     contracts and the only one that touches the service records. It reads
 *     the critical events of the contracts it holds from its owner queue
 *     ({@code takeCritical} with a short timeout) and the commands of the API
 *     from {@link #commands}. A new generation first adopts every contract its
 *     regent inherited, then carries on; running services are not touched.</li>
 * <li><b>Callers</b> of the API: they post commands and read the status board.</li>
 * </ul>
 *
 * <p>Invariants: service records ({@link RestarterLoop.ServiceRecord}) are
 * touched only by the restarter thread of the current generation (a new
 * generation starts only after the old thread's contract emptied, which
 * orders the hand-over). The status board holds one immutable
 * {@link ServiceStatus} per added service, published by the restarter
 * thread after every change. Names on the board are unique and every
 * dependency names a service added before (so dependencies form no cycle,
 * and the order of addition is a start order).
 *
 * <p>Locks: one, {@code boardLock}, guarding the board and the generation; it
 * is a leaf: nothing else is taken under it, and neither user code
 * (start and stop methods, listeners, the escalation) nor contract
 * operations run while it is held. It also guards the set of essential
 * services (for {@link #health()}); the loop's heartbeat and the stop request
 * are volatile fields written by one thread each.
 */
public final class Restarter implements AutoCloseable {

    /** A command from the API (or a start method) to the restarter thread. */
    sealed interface Command {
        record Add(ServiceSpec spec) implements Command { }
        record Enable(String name) implements Command { }
        record Disable(String name) implements Command { }
        record Clear(String name) implements Command { }
        /** From a start method: ready ({@code failure} null) or failed. */
        record StartOutcome(String name, int contractId, Throwable failure) implements Command { }
        record Shutdown() implements Command { }
        /** Test hook: the restarter thread throws. */
        record Crash() implements Command { }
    }

    /** Cookie of the restarter's own REGENT contract. */
    public static final long COOKIE_RESTARTER = 0x5245_4745_4e54L;   // "REGENT"

    final String name;
    final int throttleStarts;
    final Duration throttleWindow;
    final int startFailureLimit;
    final Escalation escalation;
    final Duration pollInterval;
    final Duration livenessTimeout;
    private final boolean systemdNotify;
    private volatile SystemdNotifier notifier;
    private final List<Consumer<RestarterEvent>> listeners;

    final LinkedBlockingQueue<Command> commands = new LinkedBlockingQueue<>();
    /** The services, in order of addition; only the restarter thread touches them. */
    final Map<String, RestarterLoop.ServiceRecord> records = new LinkedHashMap<>();

    private final ReentrantLock boardLock = new ReentrantLock();
    private final Condition boardChanged = boardLock.newCondition();
    // guarded by boardLock
    private final Map<String, ServiceStatus> board = new LinkedHashMap<>();
    private int generation = -1;
    private boolean started;
    private final Set<String> essential = new HashSet<>();

    private volatile Thread supervisor;
    /** {@link System#nanoTime()} when the restarter thread last went round its loop (health). */
    private volatile long loopBeat;
    /** Set by {@link #stop}: no longer live, systemd hears STOPPING=1 (health). */
    private volatile boolean stopRequested;

    private Restarter(Builder b) {
        this.name = b.name;
        this.throttleStarts = b.throttleStarts;
        this.throttleWindow = b.throttleWindow;
        this.startFailureLimit = b.startFailureLimit;
        this.escalation = b.escalation;
        this.pollInterval = b.pollInterval;
        this.livenessTimeout = b.livenessTimeout;
        this.systemdNotify = b.systemdNotify;
        this.listeners = new CopyOnWriteArrayList<>(b.listeners);
    }

    /** A builder with svc.startd's defaults. */
    public static Builder builder() {
        return new Builder();
    }

    // ----------------------------------------------------------------- API

    /**
     * Adds a service, enabled: it starts once the restarter runs and its
     * dependencies are ONLINE.
     *
     * @throws IllegalArgumentException if the name is taken or a dependency is unknown
     */
    public void add(ServiceSpec spec) {
        Objects.requireNonNull(spec, "spec");
        boardLock.lock();
        try {
            if (board.containsKey(spec.name()))
                throw new IllegalArgumentException("service " + spec.name() + " was already added");
            for (String d : spec.dependencies())
                if (!board.containsKey(d))
                    throw new IllegalArgumentException("service " + spec.name() + " depends on " + d
                            + ", which is not added (add dependencies first)");
            board.put(spec.name(), new ServiceStatus(spec.name(), ServiceState.OFFLINE, "added", 0, 0, 0,
                    true, Instant.now(), null));
            if (spec.essential()) essential.add(spec.name());
            commands.add(new Command.Add(spec));
            boardChanged.signalAll();
        } finally {
            boardLock.unlock();
        }
    }

    /** Adds a listener for the live event log; see {@link RestarterEvent}. Remove it with {@link #removeListener}. */
    public void addListener(Consumer<RestarterEvent> listener) {
        listeners.add(Objects.requireNonNull(listener));
    }

    /**
     * Removes a listener added by {@link #addListener} or the builder (one
     * occurrence, by identity of the object passed).
     *
     * @return false if it was not a listener
     */
    public boolean removeListener(Consumer<RestarterEvent> listener) {
        return listeners.remove(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Starts the supervisor, which starts the restarter thread.
     *
     * @throws IllegalStateException if already started
     */
    public void start() {
        boardLock.lock();
        try {
            if (started) throw new IllegalStateException("restarter " + name + " was already started");
            started = true;
        } finally {
            boardLock.unlock();
        }
        loopBeat = System.nanoTime();   // the first generation has until the liveness timeout to go round
        supervisor = Thread.ofPlatform().daemon(true).name(name + "-supervisor").start(this::supervise);
        if (systemdNotify) notifier = SystemdNotifier.startIfNotifySocket(this);
    }

    /** Enables a service (and re-arms one that stopped for good, e.g. after exiting with restart_on=none). */
    public void enable(String service) {
        commands.add(new Command.Enable(known(service)));
    }

    /** Disables a service: stops the services that depend on it (they wait OFFLINE), then it: DISABLED. */
    public void disable(String service) {
        commands.add(new Command.Disable(known(service)));
    }

    /** Clears MAINTENANCE (or a service that stopped for good): OFFLINE, to be started again. */
    public void clear(String service) {
        commands.add(new Command.Clear(known(service)));
    }

    /** The status of a service. */
    public ServiceStatus state(String service) {
        boardLock.lock();
        try {
            ServiceStatus s = board.get(service);
            if (s == null) throw new IllegalArgumentException("no service " + service);
            return s;
        } finally {
            boardLock.unlock();
        }
    }

    /** The status of every service, in order of addition (a start order). */
    public List<ServiceStatus> status() {
        boardLock.lock();
        try {
            return List.copyOf(board.values());
        } finally {
            boardLock.unlock();
        }
    }

    /** The restarter's name (its threads', its MXBean's). */
    public String name() {
        return name;
    }

    /** The generation of the running restarter thread: 0 for the first, +1 for each restart; -1 before start. */
    public int generation() {
        boardLock.lock();
        try {
            return generation;
        } finally {
            boardLock.unlock();
        }
    }

    /** Waits up to {@code timeout} for {@code service} to be in {@code state}. */
    public ServiceStatus awaitState(String service, ServiceState state, Duration timeout)
            throws InterruptedException, TimeoutException {
        return awaitStatus(service, s -> s.state() == state, timeout);
    }

    /** Waits up to {@code timeout} for the status of {@code service} to satisfy {@code condition}. */
    public ServiceStatus awaitStatus(String service, Predicate<ServiceStatus> condition, Duration timeout)
            throws InterruptedException, TimeoutException {
        long nanos = timeout.toNanos();
        boardLock.lock();
        try {
            while (true) {
                ServiceStatus s = board.get(service);
                if (s == null) throw new IllegalArgumentException("no service " + service);
                if (condition.test(s)) return s;
                if (nanos <= 0) throw new TimeoutException("service " + service + " did not reach the condition in "
                        + DurationText.of(timeout) + "; it is " + s.state() + " (" + s.reason() + ")");
                nanos = boardChanged.awaitNanos(nanos);
            }
        } finally {
            boardLock.unlock();
        }
    }

    /** Waits up to {@code timeout} for restarter generation {@code generation} (or a later one) to run. */
    public int awaitGeneration(int generation, Duration timeout) throws InterruptedException, TimeoutException {
        long nanos = timeout.toNanos();
        boardLock.lock();
        try {
            while (this.generation < generation) {
                if (nanos <= 0) throw new TimeoutException("restarter generation " + generation
                        + " did not start in " + DurationText.of(timeout) + " (now " + this.generation + ")");
                nanos = boardChanged.awaitNanos(nanos);
            }
            return this.generation;
        } finally {
            boardLock.unlock();
        }
    }

    /**
     * Stops every service, dependents before their dependencies, then the
     * restarter and its supervisor, waiting up to {@code timeout}.
     *
     * @return whether everything ended in time
     */
    public boolean stop(Duration timeout) throws InterruptedException {
        stopRequested = true;
        Thread s = supervisor;
        if (s == null) return true;
        commands.add(new Command.Shutdown());
        boolean ended = s.join(timeout);
        SystemdNotifier n = notifier;
        if (n != null && ended) n.close();
        return ended;
    }

    /** {@link #stop(Duration)} with 30 seconds. */
    @Override
    public void close() throws InterruptedException {
        stop(Duration.ofSeconds(30));
    }

    /**
     * Readiness and liveness for the next supervisor up (see {@link Health}):
     * the API behind the MXBean, the HTTP probes and systemd's notify protocol.
     * Cheap and never blocks on the restarter thread.
     */
    public Health health() {
        List<ServiceStatus> snapshot;
        Set<String> ess;
        boolean wasStarted;
        boardLock.lock();
        try {
            snapshot = List.copyOf(board.values());
            ess = Set.copyOf(essential);
            wasStarted = started;
        } finally {
            boardLock.unlock();
        }
        String problem = null;
        Thread s = supervisor;
        if (!wasStarted || s == null) problem = "restarter " + name + " not started";
        else if (stopRequested) problem = "restarter " + name + " stopping";
        else if (!s.isAlive()) problem = "restarter " + name + " supervisor ended";
        else {
            long idle = System.nanoTime() - loopBeat;
            if (idle > livenessTimeout.toNanos())
                problem = "restarter " + name + " loop stuck for " + idle / 1_000_000 + " ms";
        }
        return Health.of(snapshot, ess, problem, Instant.now());
    }

    /** Whether {@link #stop} was called (for {@link SystemdNotifier}). */
    boolean stopRequested() {
        return stopRequested;
    }

    /** From the restarter thread, once per loop: it is not stuck. */
    void beat() {
        loopBeat = System.nanoTime();
    }

    /** Test hook: makes the restarter thread throw, as if it had a bug. */
    void crashRestarterThread() {
        commands.add(new Command.Crash());
    }

    private String known(String service) {
        state(service);
        return service;
    }

    // ----------------------------------------------------------------- for the restarter thread

    void publish(ServiceStatus status) {
        boardLock.lock();
        try {
            board.put(status.name(), status);
            boardChanged.signalAll();
        } finally {
            boardLock.unlock();
        }
    }

    /** Delivers an event to every listener; no lock held; a failing listener is reported and skipped. */
    void emit(RestarterEvent event) {
        if (event instanceof RestarterEvent.ServiceRestarting e)
            RestarterJfr.restart(e.service(), e.restarts(), e.reason());
        else if (event instanceof RestarterEvent.StateChanged e && e.to() == ServiceState.MAINTENANCE)
            RestarterJfr.maintenance(e.service(), e.from().name(), e.reason());
        for (Consumer<RestarterEvent> l : listeners) {
            try {
                l.accept(event);
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) {
                System.err.println("jcontract restarter " + name + ": listener failed on " + event + ": " + e);
            }
        }
    }

    // ----------------------------------------------------------------- supervisor

    /**
     * The root supervisor: keeps one restarter thread alive in a REGENT
     * contract, restarting it with transfer of the old contract when it dies.
     */
    private void supervise() {
        Contract previous = null;
        int gen = 0;
        try (EventListener events = Contracts.ownerEvents()) {
            while (true) {
                ContractTemplate terms = ContractTemplate.process()
                        .params(Param.REGENT)
                        .fatal()
                        .informative()
                        .critical(EventType.EMPTY, EventType.CORE, EventType.HWERR)
                        .cookie(COOKIE_RESTARTER)
                        .creatorAux("restarter " + name + " generation " + gen);
                if (previous != null) terms.transfer(previous);   // the old contract's inherited ones move on
                RestarterLoop loop = new RestarterLoop(this, gen);
                Contract rc;
                try (var active = terms.activate()) {
                    ContractThreads.start(Thread.ofPlatform().name(name + "-restarter-" + gen)
                            .uncaughtExceptionHandler(Restarter::reportDeath), loop);
                    rc = Contracts.latest();
                }
                boardLock.lock();
                try {
                    generation = gen;
                    boardChanged.signalAll();
                } finally {
                    boardLock.unlock();
                }
                awaitEmpty(events, rc);
                if (loop.cleanExit) {
                    rc.abandon();
                    return;
                }
                previous = rc;
                gen++;
            }
        }
    }

    /** Reads the owner queue until {@code rc} is EMPTY, acknowledging what it reads. */
    private static void awaitEmpty(EventListener events, Contract rc) {
        while (true) {
            ContractEvent e;
            try {
                e = events.takeCritical(Duration.ofSeconds(1));
            } catch (TimeoutException | InterruptedException ignored) {
                continue;   // the supervisor is stopped only through stop(): nothing to do but wait on
            }
            if (e.contractId() == rc.id()) rc.ack(e);
            if (e instanceof ContractEvent.Empty && e.contractId() == rc.id()) return;
        }
    }

    private static void reportDeath(Thread t, Throwable e) {
        if (e instanceof RestarterLoop.InjectedCrash) return;
        System.err.println("jcontract: restarter thread " + t.getName() + " died; the supervisor restarts it");
        e.printStackTrace();
    }

    /** Restarter settings. */
    public static final class Builder {
        private String name = "restarter";
        private int throttleStarts = 5;
        private Duration throttleWindow = Duration.ofSeconds(10);
        private int startFailureLimit = 3;
        private Escalation escalation = Escalation.exitJvm();
        private Duration pollInterval = Duration.ofMillis(10);
        private Duration livenessTimeout = Duration.ofSeconds(30);
        private boolean systemdNotify = true;
        private final List<Consumer<RestarterEvent>> listeners = new ArrayList<>();

        private Builder() {
        }

        /** A name for the restarter's threads. */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name);
            return this;
        }

        /**
         * Restart throttle (svc.startd's): when the last {@code starts} starts
         * of a service came at an average interval under {@code window}, the
         * service goes to MAINTENANCE instead of starting again. Default 5
         * starts, 10 s.
         */
        public Builder throttle(int starts, Duration window) {
            if (starts < 2) throw new IllegalArgumentException("throttle needs at least 2 starts: " + starts);
            this.throttleStarts = starts;
            this.throttleWindow = Objects.requireNonNull(window);
            return this;
        }

        /** Start method failures in a row that put a service in MAINTENANCE; default 3. */
        public Builder startFailureLimit(int limit) {
            if (limit < 1) throw new IllegalArgumentException("limit must be positive: " + limit);
            this.startFailureLimit = limit;
            return this;
        }

        /** What happens when an essential service enters MAINTENANCE; default {@link Escalation#exitJvm()}. */
        public Builder escalation(Escalation escalation) {
            this.escalation = Objects.requireNonNull(escalation);
            return this;
        }

        /**
         * How often the restarter thread looks at its commands and at the
         * deadlines of the kills in flight when no event comes; default 10 ms.
         */
        public Builder pollInterval(Duration interval) {
            this.pollInterval = Objects.requireNonNull(interval);
            return this;
        }

        /**
         * How long the restarter thread may go without coming round its loop
         * before {@link Restarter#health()} says it is not live; default 30 s.
         * The loop never waits for a kill (a stop or restart ends on the
         * contract's EMPTY or at its deadline while the loop goes on), but it
         * runs listeners and the escalation, so keep it above those.
         */
        public Builder livenessTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "livenessTimeout");
            if (timeout.isNegative() || timeout.isZero())
                throw new IllegalArgumentException("livenessTimeout must be positive: " + timeout);
            this.livenessTimeout = timeout;
            return this;
        }

        /**
         * Whether {@link Restarter#start()} starts a {@link SystemdNotifier}
         * when {@code NOTIFY_SOCKET} is set (READY=1, STATUS=, WATCHDOG=1,
         * STOPPING=1); default true. Turn it off for all but one restarter
         * when a JVM runs several.
         */
        public Builder systemdNotify(boolean on) {
            this.systemdNotify = on;
            return this;
        }

        /** A listener for the live event log. */
        public Builder listener(Consumer<RestarterEvent> listener) {
            listeners.add(Objects.requireNonNull(listener));
            return this;
        }

        public Restarter build() {
            return new Restarter(this);
        }
    }
}
