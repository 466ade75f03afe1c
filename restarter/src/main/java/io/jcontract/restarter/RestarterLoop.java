package io.jcontract.restarter;

import io.jcontract.Contract;
import io.jcontract.ContractEvent;
import io.jcontract.ContractException;
import io.jcontract.ContractStatus;
import io.jcontract.ContractTemplate;
import io.jcontract.ContractThreads;
import io.jcontract.Contracts;
import io.jcontract.EventListener;
import io.jcontract.EventType;
import io.jcontract.KillReport;
import io.jcontract.Param;
import io.jcontract.StatusDetail;
import io.jcontract.restarter.Restarter.Command;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One generation of the restarter thread: the event loop of svc.startd.
 *
 * <h2>Theory of operation</h2>
 * The loop, on the restarter thread only:
 * <ol>
 * <li>read the next unacknowledged critical event from the owner queue
 *     ({@code takeCritical}, waiting at most the poll interval);</li>
 * <li>run the commands posted meanwhile (add, enable, disable, clear,
 *     start outcomes, shutdown), before the event, so a start method's
 *     outcome (posted before its thread ends) is known when the EMPTY that
 *     follows is handled;</li>
 * <li>handle the event, then acknowledge it (if the contract is still held:
 *     a contract killed and given up meanwhile had its events acknowledged
 *     when it died);</li>
 * <li>fail starts past their timeout, and start every enabled OFFLINE
 *     service whose dependencies are ONLINE.</li>
 * </ol>
 * Kills and stops never block the loop, so one stubborn service cannot
 * delay the others. To restart or stop a service the loop kills its
 * contract, moves it from {@code byContract} to {@code reaping} with a
 * {@link Reap} (what to do afterwards, and a deadline of now + the stop
 * timeout), and goes on. The kill ends when that contract's EMPTY wakes the
 * loop, or at the deadline (checked every turn, so up to one poll interval
 * late); then the report is told and the restart, the failed start's retry
 * or the stop's final state follows. A stop with a stop method first runs it
 * in a contract of its own and gives the service until the same kind of
 * deadline to empty by itself, then kills it. Stops wait for the stops of
 * their dependents ({@code pendingStops}, begun in order once no dependent
 * is still stopping), and shutdown stops every service that way, then ends
 * the loop once no kill is in flight. Events of a contract being killed, or
 * of a service waiting to be stopped, are acknowledged and not acted on.
 *
 * <p>A new generation first adopts every contract its REGENT contract
 * inherited (ids from {@code status(ALL).inherited()}), matches them by id
 * to the service records kept in the {@link Restarter}, kills and gives up
 * the ones it does not know (a stop method's contract), and finishes a stop
 * the old generation was in the middle of. Adoption puts the unacknowledged
 * critical events of the adopted contracts on this thread's owner queue, so
 * an event the old thread read but did not acknowledge is handled again.
 *
 * <p>No lock is held here except inside {@link Restarter#publish}; user code
 * (start and stop methods run on threads of their own; listeners and the
 * escalation run here) is called with none.
 */
final class RestarterLoop implements Runnable {

    /** The test hook's throwable. */
    static final class InjectedCrash extends RuntimeException {
        InjectedCrash() {
            super("restarter thread crash injected by a test");
        }
    }

    /** A service as the restarter thread knows it. Touched only by the current restarter thread. */
    static final class ServiceRecord {
        final ServiceSpec spec;
        ServiceState state = ServiceState.OFFLINE;
        String reason = "added";
        Instant since = Instant.now();
        boolean enabled = true;
        /** False after the service stopped for good (exited with restart_on none): wait for enable/clear. */
        boolean autoStart = true;
        /** The contract the service runs in (OWNED by the restarter thread), or null. */
        Contract contract;
        /** The previous contract, empty and held, to name in the next start's transfer term; or null. */
        Contract previous;
        long startDeadline;
        final ArrayDeque<Long> startTimes = new ArrayDeque<>();
        int startFailures, restarts;
        KillReport lastKill;
        /** While STOPPING: the state to end in, and why. */
        ServiceState stopGoal;
        String stopReason;
        /** The kill in flight (a restart's, a failed start's or a stop's), or null. */
        Reap reap;

        ServiceRecord(ServiceSpec spec) {
            this.spec = spec;
        }

        String name() {
            return spec.name();
        }

        ServiceStatus status() {
            return new ServiceStatus(spec.name(), state, reason, contract == null ? 0 : contract.id(), restarts,
                    startFailures, enabled, since, lastKill);
        }
    }

    /** What follows the end of a service's kill. */
    enum After { RESTART, START_FAILED, STOP }

    /**
     * A kill in flight for one service. While {@code stopper} is set the
     * service's stop method runs and the service may empty by itself
     * ({@code kill} is still null); then the contract is killed. Either phase
     * ends on the contract's EMPTY or at {@code deadline} ({@link System#nanoTime}).
     * Touched only by the restarter thread; a new generation resumes it.
     */
    static final class Reap {
        final Contract contract;
        final After after;
        final String why;
        Contract stopper;
        Contract.KillHandle kill;
        long deadline;

        Reap(Contract contract, After after, String why) {
            this.contract = contract;
            this.after = after;
            this.why = why;
        }
    }

    /** The STARTING reason of a start that is not a restart. */
    private static final String FIRST_START = "dependencies online, starting";

    private final Restarter r;
    private final int generation;
    private final Map<String, ServiceRecord> services;
    /** Current contract id → its service. */
    private final Map<Integer, ServiceRecord> byContract = new HashMap<>();
    /** Id of a contract being killed (its {@link ServiceRecord#reap}) → its service. */
    private final Map<Integer, ServiceRecord> reaping = new HashMap<>();
    /** Services to stop, in order, each begun once none of its dependents is still stopping. */
    private final List<ServiceRecord> pendingStops = new ArrayList<>();
    /** Shutdown was asked for: stop everything, start nothing, end when no kill is in flight. */
    private boolean shuttingDown;
    volatile boolean cleanExit;

    RestarterLoop(Restarter r, int generation) {
        this.r = r;
        this.generation = generation;
        this.services = r.records;
    }

    @Override
    public void run() {
        try (EventListener events = Contracts.ownerEvents()) {
            if (generation > 0) adoptInherited();
            while (true) {
                r.beat();
                ContractEvent event = null;
                try {
                    event = events.takeCritical(r.pollInterval);
                } catch (TimeoutException e) {
                    // nothing came: look at the commands and the clock
                } catch (InterruptedException e) {
                    // the restarter is stopped through its commands only
                }
                boolean shutdown = runCommands();
                if (event != null) handle(event);
                if (shutdown && !shuttingDown) {
                    shuttingDown = true;
                    shutdown();
                }
                endLateKills();
                advanceStops();
                if (shuttingDown) {
                    if (pendingStops.isEmpty() && reaping.isEmpty()) {
                        cleanExit = true;
                        return;
                    }
                    continue;
                }
                failLateStarts();
                startReady();
            }
        }
    }

    // ----------------------------------------------------------------- commands

    /** Runs the posted commands; true if one was Shutdown. */
    private boolean runCommands() {
        boolean shutdown = false;
        Command c;
        while ((c = r.commands.poll()) != null) {
            switch (c) {
                case Command.Add a -> services.put(a.spec().name(), new ServiceRecord(a.spec()));
                case Command.Enable e -> enable(services.get(e.name()));
                case Command.Disable d -> disable(services.get(d.name()));
                case Command.Clear cl -> clear(services.get(cl.name()));
                case Command.StartOutcome o -> startOutcome(o);
                case Command.Shutdown s -> shutdown = true;
                case Command.Crash x -> throw new InjectedCrash();
            }
        }
        return shutdown;
    }

    private void enable(ServiceRecord s) {
        if (s == null) return;
        s.enabled = true;
        s.autoStart = true;
        if (s.state == ServiceState.STOPPING && s.stopGoal == ServiceState.DISABLED) {
            s.stopGoal = ServiceState.OFFLINE;   // a disable's stop still in flight ends OFFLINE, to start again
            s.stopReason = "enabled";
        }
        if (s.state == ServiceState.DISABLED) setState(s, ServiceState.OFFLINE, "enabled");
        else publish(s);
    }

    private void disable(ServiceRecord s) {
        if (s == null || s.state == ServiceState.DISABLED) return;
        s.enabled = false;
        List<ServiceRecord> dependents = dependentsOf(s);
        for (int i = dependents.size() - 1; i >= 0; i--) {
            ServiceRecord d = dependents.get(i);
            if (d.contract != null || d.reap != null)
                stopService(d, ServiceState.OFFLINE, "dependency " + s.name() + " disabled");
        }
        stopService(s, ServiceState.DISABLED, "disabled");
    }

    private void clear(ServiceRecord s) {
        if (s == null) return;
        if (s.state != ServiceState.MAINTENANCE && !(s.state == ServiceState.OFFLINE && !s.autoStart)) return;
        s.startFailures = 0;
        s.restarts = 0;
        s.startTimes.clear();
        s.autoStart = true;
        setState(s, s.enabled ? ServiceState.OFFLINE : ServiceState.DISABLED, "cleared");
    }

    private void startOutcome(Command.StartOutcome o) {
        ServiceRecord s = services.get(o.name());
        if (s == null || s.state != ServiceState.STARTING || s.contract == null
                || s.contract.id() != o.contractId()) return;   // an outcome of a start already given up
        if (o.failure() == null) {
            s.startFailures = 0;
            // not "ready (why it started)": a reason read inside another one's parentheses is hard to read
            setState(s, ServiceState.ONLINE, s.reason.equals(FIRST_START) ? "ready" : "ready; " + s.reason);
        } else {
            startFailed(s, "start method threw " + o.failure());
        }
    }

    // ----------------------------------------------------------------- events

    private void handle(ContractEvent event) {
        ServiceRecord k = reaping.get(event.contractId());
        if (k != null) {
            reapEvent(k, event);
            return;
        }
        ServiceRecord s = byContract.get(event.contractId());
        if (s == null || s.contract == null || s.contract.id() != event.contractId()) {
            return;   // not a contract of a service (any more): it was given up, its events acknowledged
        }
        Contract c = s.contract;
        if (s.state == ServiceState.STOPPING) {   // waits for its dependents' stops: its own stop kills it anyway
            ackQuietly(c, event);
            return;
        }
        // Told before it is acted on, so a log reads cause first, then the kill, restart and states it leads to.
        r.emit(new RestarterEvent.ContractEventHandled(s.name(), event, action(s, event)));
        switch (event) {
            case ContractEvent.Empty e -> {
                if (s.state == ServiceState.STARTING) {
                    startFailed(s, "start method ended before the service was ready");
                } else if (s.spec.restartsOn(EventType.EMPTY)) {
                    restart(s, "all members exited");
                } else {
                    byContract.remove(c.id());
                    s.contract = null;
                    abandonQuietly(c);
                    s.autoStart = false;
                    setState(s, ServiceState.OFFLINE, "all members exited; restart_on "
                            + s.spec.restartOn() + " does not restart it");
                }
            }
            case ContractEvent.Core e -> restart(s, "CORE in member " + e.member() + ": " + e.cause());
            case ContractEvent.Signal e -> restart(s, "SIGNAL to member " + e.member() + " from thread " + e.sender());
            case ContractEvent.HwErr e -> restart(s, "HWERR in member " + e.member() + ": " + e.error());
            default -> { }
        }
        ackQuietly(c, event);
    }

    /** What {@link #handle} does with {@code event}, in words, for the listeners. */
    private static String action(ServiceRecord s, ContractEvent event) {
        return switch (event) {
            case ContractEvent.Empty e -> s.state == ServiceState.STARTING
                    ? "start method ended before the service was ready"
                    : s.spec.restartsOn(EventType.EMPTY) ? "service exited: restart"
                    : "service exited: OFFLINE (restart_on " + s.spec.restartOn() + ")";
            case ContractEvent.Core e -> "fault: kill and restart";
            case ContractEvent.Signal e -> "fault: kill and restart";
            case ContractEvent.HwErr e -> "fault: kill and restart";
            default -> "ignored";
        };
    }

    private static void ackQuietly(Contract c, ContractEvent e) {
        try {
            c.ack(e);
        } catch (ContractException ignored) {
            // given up meanwhile: its events were acknowledged when it died or was orphaned
        }
    }

    private static void abandonQuietly(Contract c) {
        try {
            c.abandon();
        } catch (ContractException ignored) {
            // already given up
        }
    }

    // ----------------------------------------------------------------- start, restart, stop

    /** Starts every enabled OFFLINE service whose dependencies are ONLINE; updates the waiting ones' reason. */
    private void startReady() {
        for (ServiceRecord s : services.values()) {
            if (!s.enabled || !s.autoStart || s.state != ServiceState.OFFLINE || s.contract != null) continue;
            List<String> waiting = new ArrayList<>();
            for (String d : s.spec.dependencies())
                if (services.get(d).state != ServiceState.ONLINE) waiting.add(d);
            if (waiting.isEmpty()) {
                start(s, FIRST_START);
            } else {
                String why = "waiting for dependencies " + waiting;
                if (!why.equals(s.reason)) setState(s, ServiceState.OFFLINE, why);
            }
        }
    }

    /** Runs the start method in a new contract: INHERIT | REGENT | NOORPHAN, transfer = the previous contract. */
    private void start(ServiceRecord s, String why) {
        ServiceSpec spec = s.spec;
        ContractTemplate terms = ContractTemplate.process()
                .fatal()
                .params(Param.INHERIT, Param.REGENT, Param.NOORPHAN)
                .critical(spec.criticalSet())
                .informative(spec.informativeSet())
                .cookie(ServiceSpec.COOKIE_START)
                .serviceIdentity(spec.name())
                .creatorAux("start method of " + spec.name());
        Contract previous = s.previous;
        s.previous = null;
        if (previous != null) {
            try {
                terms.transfer(previous);     // creating the new contract abandons it
            } catch (ContractException e) {
                abandonQuietly(previous);     // gone, or not empty after all
                previous = null;
            }
        }
        Contract c;
        try (var active = terms.activate()) {
            ContractThreads.start(Thread.ofVirtual().name(spec.name() + " start"), new StartBody(r, spec));
            c = Contracts.latest();
        } catch (ContractException e) {
            if (previous != null) abandonQuietly(previous);
            s.startTimes.addLast(System.nanoTime());
            setState(s, ServiceState.STARTING, why);
            startFailed(s, "start method could not be forked: " + e);
            return;
        }
        long now = System.nanoTime();
        s.contract = c;
        byContract.put(c.id(), s);
        s.startTimes.addLast(now);
        while (s.startTimes.size() > r.throttleStarts) s.startTimes.removeFirst();
        s.startDeadline = now + spec.startTimeout().toNanos();
        setState(s, ServiceState.STARTING, why);
    }

    /** A fault or an exit that restart_on says restarts: kill the whole service, then start it again. */
    private void restart(ServiceRecord s, String why) {
        beginReap(s, After.RESTART, why);
    }

    /** The rest of {@link #restart}, once the kill has ended. */
    private void restartAfterKill(ServiceRecord s, String why) {
        if (!s.enabled) {
            abandonPrevious(s);
            setState(s, ServiceState.DISABLED, why);
        } else if (tooQuick(s)) {
            abandonPrevious(s);
            maintenance(s, "restarting too quickly (" + r.throttleStarts + " starts at an average interval under "
                    + DurationText.of(r.throttleWindow) + "); last: " + why);
        } else {
            s.restarts++;
            r.emit(new RestarterEvent.ServiceRestarting(s.name(), s.restarts, why));
            start(s, "restart after " + why);
        }
    }

    /** svc.startd's throttle: the last N starts came at an average interval under the window. */
    private boolean tooQuick(ServiceRecord s) {
        if (s.startTimes.size() < r.throttleStarts) return false;
        long span = s.startTimes.getLast() - s.startTimes.getFirst();
        return span / (r.throttleStarts - 1) < r.throttleWindow.toNanos();
    }

    private void startFailed(ServiceRecord s, String why) {
        if (s.contract != null) {
            beginReap(s, After.START_FAILED, why);
            return;
        }
        startFailedAfterKill(s, why);
    }

    /** The rest of {@link #startFailed}, once the kill (if any) has ended. */
    private void startFailedAfterKill(ServiceRecord s, String why) {
        s.startFailures++;
        if (s.startFailures >= r.startFailureLimit) {
            abandonPrevious(s);
            maintenance(s, "start method failed " + s.startFailures + " times in a row; last: " + why);
        } else if (tooQuick(s)) {
            abandonPrevious(s);
            maintenance(s, "restarting too quickly; last: " + why);
        } else {
            s.restarts++;
            r.emit(new RestarterEvent.ServiceRestarting(s.name(), s.restarts, why));
            start(s, "retry after start method failure: " + why);
        }
    }

    private void failLateStarts() {
        long now = System.nanoTime();
        for (ServiceRecord s : List.copyOf(services.values()))
            if (s.state == ServiceState.STARTING && s.contract != null && now - s.startDeadline > 0)
                startFailed(s, "not ready within " + DurationText.of(s.spec.startTimeout()));
    }

    /**
     * Starts killing the service's contract and returns: the kill ends in
     * {@link #endReap}, on the contract's EMPTY or at the deadline (the stop
     * timeout from now). The board shows the service without a contract
     * meanwhile.
     */
    private void beginReap(ServiceRecord s, After after, String why) {
        Contract c = s.contract;
        s.contract = null;
        byContract.remove(c.id());
        s.reap = new Reap(c, after, why);
        reaping.put(c.id(), s);
        publish(s);
        killNow(s);
    }

    /** Ends the stop method's grace (killing the stop method) and kills the service's contract. */
    private void killNow(ServiceRecord s) {
        Reap k = s.reap;
        if (k.stopper != null) {
            k.stopper.kill();
            abandonQuietly(k.stopper);   // NOORPHAN: its stragglers stay killed; it dies with the last of them
            k.stopper = null;
        }
        k.kill = k.contract.kill();
        k.deadline = System.nanoTime() + s.spec.stopTimeout().toNanos();
        if (isEmpty(k.contract)) endReap(s);   // emptied already: its EMPTY may have been read before the kill
    }

    /** An event of a contract being killed: EMPTY ends the phase it is in; the rest are only acknowledged. */
    private void reapEvent(ServiceRecord s, ContractEvent event) {
        ackQuietly(s.reap.contract, event);
        if (!(event instanceof ContractEvent.Empty)) return;
        if (s.reap.stopper != null) killNow(s);
        else endReap(s);
    }

    /** Ends the kills and stop-method graces whose deadline has passed. */
    private void endLateKills() {
        if (reaping.isEmpty()) return;
        long now = System.nanoTime();
        for (ServiceRecord s : List.copyOf(reaping.values())) {
            if (s.reap == null || now - s.reap.deadline <= 0) continue;
            if (s.reap.stopper != null) killNow(s);
            else endReap(s);
        }
    }

    /**
     * The end of a kill: the report (an empty contract is kept as
     * {@code previous}, for the next start's transfer term; one with
     * stragglers is abandoned: NOORPHAN, its stragglers stay killed and it
     * dies with the last of them), then what was to follow. A stop asked for
     * meanwhile wins over a restart.
     */
    private void endReap(ServiceRecord s) {
        Reap k = s.reap;
        s.reap = null;
        reaping.remove(k.contract.id());
        KillReport report = awaitEmpty(k.kill, Duration.ZERO);
        s.lastKill = report;
        r.emit(new RestarterEvent.ServiceKilled(s.name(), report));
        if (report.empty()) {
            s.previous = k.contract;
        } else {
            abandonQuietly(k.contract);
        }
        switch (s.stopGoal != null ? After.STOP : k.after) {
            case RESTART -> restartAfterKill(s, k.why);
            case START_FAILED -> startFailedAfterKill(s, k.why);
            case STOP -> finishStop(s);
        }
    }

    private static KillReport awaitEmpty(Contract.KillHandle kill, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                return kill.awaitEmpty(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                // the restarter thread ignores interrupts: it is stopped through its commands
            }
        }
    }

    private void abandonPrevious(ServiceRecord s) {
        if (s.previous != null) abandonQuietly(s.previous);
        s.previous = null;
    }

    private void maintenance(ServiceRecord s, String why) {
        setState(s, ServiceState.MAINTENANCE, why);
        if (s.spec.essential()) {
            r.emit(new RestarterEvent.Escalated(s.name(), why));
            try {
                r.escalation.escalate(s.status());
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) {
                System.err.println("jcontract restarter: escalation for " + s.name() + " failed: " + e);
            }
        }
    }

    /**
     * Asks for a service to be stopped: STOPPING now, and the stop begins
     * ({@link #beginStop}) once none of its dependents is still stopping
     * ({@link #advanceStops}). A kill already in flight (a restart's) ends in
     * the stop instead.
     */
    private void stopService(ServiceRecord s, ServiceState goal, String why) {
        if (s.contract == null && s.reap == null) {
            pendingStops.remove(s);
            abandonPrevious(s);
            s.stopGoal = null;
            s.stopReason = null;
            setState(s, goal, why);
            return;
        }
        s.stopGoal = goal;
        s.stopReason = why;
        setState(s, ServiceState.STOPPING, why);
        if (s.reap == null && !pendingStops.contains(s)) pendingStops.add(s);
    }

    /** Begins the pending stops, in order, whose dependents are all stopped. */
    private void advanceStops() {
        boolean progress = true;
        while (progress) {
            progress = false;
            for (ServiceRecord s : pendingStops) {
                if (dependentStopping(s)) continue;
                pendingStops.remove(s);
                beginStop(s);
                progress = true;
                break;
            }
        }
    }

    private boolean dependentStopping(ServiceRecord s) {
        for (ServiceRecord d : dependentsOf(s))
            if (d.reap != null || pendingStops.contains(d)) return true;
        return false;
    }

    /**
     * Stops a service: its stop method (in a contract of its own) and up to
     * the stop timeout for the service to empty by itself, then the kill, up
     * to the stop timeout for EMPTY, the report, and the contract given up;
     * each wait is a deadline of its {@link Reap}, never a wait of the loop.
     */
    private void beginStop(ServiceRecord s) {
        if (s.contract == null) {
            finishStop(s);
            return;
        }
        Contract stopper = s.spec.stop() == null ? null : runStopMethod(s.spec);
        Contract c = s.contract;
        s.contract = null;
        byContract.remove(c.id());
        Reap k = new Reap(c, After.STOP, s.stopReason);
        k.stopper = stopper;
        s.reap = k;
        reaping.put(c.id(), s);
        publish(s);
        if (stopper != null && !isEmpty(c)) {
            k.deadline = System.nanoTime() + s.spec.stopTimeout().toNanos();   // the grace to empty by itself
        } else {
            killNow(s);
        }
    }

    /** The end of a stop: the previous contract given up, the goal state reached. */
    private void finishStop(ServiceRecord s) {
        abandonPrevious(s);
        ServiceState goal = s.stopGoal;
        String why = s.stopReason;
        s.stopGoal = null;
        s.stopReason = null;
        setState(s, goal, why);
    }

    private Contract runStopMethod(ServiceSpec spec) {
        ContractTemplate terms = ContractTemplate.process()
                .fatal()
                .critical()
                .informative(EventType.CORE, EventType.SIGNAL, EventType.HWERR)
                .params(Param.INHERIT, Param.NOORPHAN)
                .cookie(ServiceSpec.COOKIE_STOP)
                .serviceIdentity(spec.name())
                .creatorAux("stop method of " + spec.name());
        try (var active = terms.activate()) {
            ContractThreads.start(Thread.ofVirtual().name(spec.name() + " stop")
                    .uncaughtExceptionHandler((t, e) -> { }), spec.stop());
            return Contracts.latest();
        } catch (ContractException e) {
            return null;
        }
    }

    private static boolean isEmpty(Contract c) {
        ContractStatus st = c.status(StatusDetail.ALL);
        return st.members().isEmpty() && (st.pendingTasks() == null || st.pendingTasks() == 0);
    }

    /** The services that depend on {@code s}, directly or not, in order of addition. */
    private List<ServiceRecord> dependentsOf(ServiceRecord s) {
        Set<String> down = new HashSet<>();
        down.add(s.name());
        List<ServiceRecord> out = new ArrayList<>();
        for (ServiceRecord d : services.values()) {
            if (d == s) continue;
            for (String dep : d.spec.dependencies())
                if (down.contains(dep)) {
                    down.add(d.name());
                    out.add(d);
                    break;
                }
        }
        return out;
    }

    /**
     * Asks every service to stop, dependents first (the reverse of the order
     * of addition), so every contract is given up; the loop ends once no stop
     * is pending and no kill in flight.
     */
    private void shutdown() {
        List<ServiceRecord> all = new ArrayList<>(services.values());
        for (int i = all.size() - 1; i >= 0; i--) {
            ServiceRecord s = all.get(i);
            if (s.contract != null || s.previous != null || s.reap != null)
                stopService(s, s.enabled ? ServiceState.OFFLINE : ServiceState.DISABLED, "restarter stopped");
        }
    }

    // ----------------------------------------------------------------- adoption

    /** A new generation adopts what the old one left INHERITED to the regent. */
    private void adoptInherited() {
        List<Integer> ids = Contracts.current().status(StatusDetail.ALL).inherited();
        Map<Integer, Contract> adopted = new HashMap<>();
        for (int id : ids) {
            try {
                adopted.put(id, Contracts.adopt(id));
            } catch (ContractException e) {
                // died or was given up since the status was read
            }
        }
        List<Integer> adoptedIds = List.copyOf(adopted.keySet());
        List<ServiceRecord> resumed = new ArrayList<>();
        for (ServiceRecord s : services.values()) {
            if (s.reap != null) {   // the old generation's kill was in flight: kill it again from here
                s.contract = s.reap.contract;   // its stop method's contract, if any, is killed as unknown below
                resumed.add(s);
            }
            s.previous = s.previous == null ? null : adopted.remove(s.previous.id());
            if (s.contract != null) {
                Contract c = adopted.remove(s.contract.id());
                s.contract = c;
                if (c != null) {
                    byContract.put(c.id(), s);
                } else if (s.state == ServiceState.STARTING || s.state == ServiceState.ONLINE
                        || s.state == ServiceState.STOPPING) {
                    setState(s, ServiceState.OFFLINE, "its contract was lost while the restarter restarted");
                }
            }
        }
        for (Contract unknown : adopted.values()) {   // stop methods cut short, and anything else
            awaitEmpty(unknown.kill(), Duration.ofSeconds(1));
            abandonQuietly(unknown);
        }
        r.emit(new RestarterEvent.RestarterRestarted(generation, adoptedIds));
        for (ServiceRecord s : resumed) {
            Reap old = s.reap;
            s.reap = null;
            if (s.contract != null) {
                beginReap(s, old.after, old.why);
            } else {
                switch (s.stopGoal != null ? After.STOP : old.after) {   // the contract is gone: what follows
                    case RESTART -> restartAfterKill(s, old.why);
                    case START_FAILED -> startFailedAfterKill(s, old.why);
                    case STOP -> finishStop(s);
                }
            }
        }
        for (ServiceRecord s : List.copyOf(services.values()))
            if (s.state == ServiceState.STOPPING && s.stopGoal != null)
                stopService(s, s.stopGoal, s.stopReason);
    }

    // ----------------------------------------------------------------- status

    private void setState(ServiceRecord s, ServiceState to, String why) {
        ServiceState from = s.state;
        s.state = to;
        s.reason = why;
        s.since = Instant.now();
        publish(s);
        if (from != to) r.emit(new RestarterEvent.StateChanged(s.name(), from, to, why));
    }

    private void publish(ServiceRecord s) {
        r.publish(s.status());
    }

    /** The body of a start method's thread: runs it and posts its outcome to the restarter. */
    private static final class StartBody implements Runnable, ServiceContext {
        private final Restarter r;
        private final ServiceSpec spec;
        private final AtomicBoolean ready = new AtomicBoolean();
        private int contractId;

        StartBody(Restarter r, ServiceSpec spec) {
            this.r = r;
            this.spec = spec;
        }

        @Override
        public void run() {
            contractId = Contracts.current().id();
            try {
                spec.start().start(this);
            } catch (Throwable e) {
                if (ready.compareAndSet(false, true)) {
                    r.commands.add(new Command.StartOutcome(spec.name(), contractId, e));
                    return;   // a start method failure, not a fault of the service
                }
                sneakyThrow(e);  // after ready: a fault of the running service (CORE, HWERR)
            }
            ready();
        }

        @Override
        public String name() {
            return spec.name();
        }

        @Override
        public int contractId() {
            return contractId;
        }

        @Override
        public void ready() {
            if (ready.compareAndSet(false, true))
                r.commands.add(new Command.StartOutcome(spec.name(), contractId, null));
        }

        @SuppressWarnings("unchecked")
        private static <E extends Throwable> void sneakyThrow(Throwable e) throws E {
            throw (E) e;
        }
    }
}
