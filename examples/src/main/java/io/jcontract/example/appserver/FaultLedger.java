package io.jcontract.example.appserver;

import io.jcontract.ContractEvent;
import io.jcontract.KillReport;
import io.jcontract.restarter.RestarterEvent;
import io.jcontract.restarter.ServiceState;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The faults the injector caused and how the restarter detected each one:
 * a restarter listener that matches what it hears to what was injected.
 *
 * <ul>
 * <li>CORE, HWERR, SIGNAL: the restarter handled that critical event of the service's contract;</li>
 * <li>CRASH_LOOP: the service entered MAINTENANCE;</li>
 * <li>HUNG_MEMBER: a kill of the service's contract reported the hung thread as a straggler;</li>
 * <li>KILL: the service's contract, killed by an operator without any stop call, emptied (every
 *     thread of its Jetty server ended) and the restarter handled that EMPTY.</li>
 * </ul>
 * Faults the restarter handled that nobody injected are kept too ({@link #unexpected()}).
 *
 * <p>One lock, a leaf; {@link #onEvent} (on the restarter thread) only records.
 */
final class FaultLedger {

    enum Kind { CORE, HWERR, SIGNAL, CRASH_LOOP, HUNG_MEMBER, KILL }

    /** One injected fault; {@code detection} is null until detected. */
    record Fault(Kind kind, String service, String how, long injectedAtMillis, String detection,
                 long detectedAtMillis) {
        boolean detected() {
            return detection != null;
        }
    }

    private final long t0;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    // guarded by lock
    private final List<Fault> faults = new ArrayList<>();
    private final List<String> unexpected = new ArrayList<>();
    /** Names of hung threads, to recognise them among stragglers. */
    private final List<String> hungThreads = new ArrayList<>();

    FaultLedger(long t0Nanos) {
        this.t0 = t0Nanos;
    }

    /** Records an injection; for HUNG_MEMBER, {@code hungThread} is the thread's name. */
    void injected(Kind kind, String service, String how, String hungThread) {
        lock.lock();
        try {
            faults.add(new Fault(kind, service, how, millis(), null, 0));
            if (hungThread != null) hungThreads.add(hungThread);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** A restarter listener: matches the event to an undetected injected fault. */
    void onEvent(RestarterEvent event) {
        switch (event) {
            case RestarterEvent.ContractEventHandled h when h.event() instanceof ContractEvent.Empty e ->
                    // an EMPTY nobody injected a KILL for is a service's own business (an exit), not a fault
                    detect(h.service(), Kind.KILL, "EMPTY of contract " + e.contractId() + " after the kill (its Jetty "
                            + "server stopped by the lifecycle adapter, no stop call): " + h.action());
            case RestarterEvent.ContractEventHandled h -> {
                Kind k = switch (h.event()) {
                    case ContractEvent.Core c -> Kind.CORE;
                    case ContractEvent.HwErr e -> Kind.HWERR;
                    case ContractEvent.Signal s -> Kind.SIGNAL;
                    default -> null;
                };
                if (k != null && !detect(h.service(), k, h.event().type() + " in contract " + h.event().contractId()
                        + " (member " + h.event().member() + "): " + h.action())
                        && !crashLoopBeforeMaintenance(h.service(), k))
                    noteUnexpected(h.service() + ": " + h.event());
            }
            case RestarterEvent.StateChanged s when s.to() == ServiceState.MAINTENANCE ->
                    detect(s.service(), Kind.CRASH_LOOP, "MAINTENANCE: " + s.reason());
            case RestarterEvent.ServiceKilled k -> {
                String straggler = hungStraggler(k.report());
                if (straggler != null)
                    detect(k.service(), Kind.HUNG_MEMBER, "straggler " + straggler + " in the kill report of contract "
                            + k.report().contractId() + " after " + k.report().elapsed().toMillis() + " ms");
            }
            default -> { }
        }
    }

    /** The CORE events of an injected crash loop are expected, not surprises. */
    private boolean crashLoopBeforeMaintenance(String service, Kind k) {
        lock.lock();
        try {
            return k == Kind.CORE && faults.stream().anyMatch(f -> f.kind() == Kind.CRASH_LOOP && f.service().equals(service));
        } finally {
            lock.unlock();
        }
    }

    private String hungStraggler(KillReport report) {
        lock.lock();
        try {
            for (KillReport.Straggler s : report.stragglers())
                if (hungThreads.contains(s.name())) return "\"" + s.name() + "\" (member " + s.member() + ")";
            return null;
        } finally {
            lock.unlock();
        }
    }

    private boolean detect(String service, Kind kind, String detection) {
        lock.lock();
        try {
            for (int i = 0; i < faults.size(); i++) {
                Fault f = faults.get(i);
                if (f.kind() == kind && f.service().equals(service) && !f.detected()) {
                    faults.set(i, new Fault(kind, service, f.how(), f.injectedAtMillis(), detection, millis()));
                    changed.signalAll();
                    return true;
                }
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    private void noteUnexpected(String what) {
        lock.lock();
        try {
            unexpected.add(what);
        } finally {
            lock.unlock();
        }
    }

    /** Waits up to {@code timeout} until every injected fault is detected; returns whether they all are. */
    boolean awaitAllDetected(Duration timeout) throws InterruptedException {
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            while (faults.stream().anyMatch(f -> !f.detected())) {
                if (nanos <= 0) return false;
                nanos = changed.awaitNanos(nanos);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    List<Fault> faults() {
        lock.lock();
        try {
            return List.copyOf(faults);
        } finally {
            lock.unlock();
        }
    }

    List<String> unexpected() {
        lock.lock();
        try {
            return List.copyOf(unexpected);
        } finally {
            lock.unlock();
        }
    }

    private long millis() {
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
