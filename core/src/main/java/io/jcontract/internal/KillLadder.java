package io.jcontract.internal;

import io.jcontract.ContractState;
import io.jcontract.KillReport;
import io.jcontract.Param;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A contract's kill (illumos {@code contract_process_kill}, which sends
 * SIGKILL): a JVM cannot force a thread to stop, so a kill is a ladder of
 * rungs, each observable. Rung 1 marks every member killed and interrupts
 * the running ones; rung 2 refuses forks by a killed member (the fork checks
 * the mark, {@code ContractImpl.join}) and takes queued tasks out, cancelling
 * their Futures; rung 3, with the agent only, interrupts a killed member
 * again at its next blocking call; rung 4 shuts down what the contract owns
 * and closes the resources registered with it. {@link #awaitEmpty} then
 * reports who is still alive (the design's rung 5, the {@link KillReport}).
 *
 * <h2>Theory of operation</h2>
 * One per contract ({@code ContractImpl.kills}). Its fields, the current
 * kill's bookkeeping and the registered resources, are guarded by the
 * contract's lock ({@code ContractImpl.lock}), never a lock of its own; the
 * contract's state and holder, which it reads, stay in {@link ContractImpl}
 * under the same lock. The kill's walk of the member list runs under that
 * lock too, between two increments of {@code Membership.killSeq}, so that a
 * lock-free fork that overlapped it decides under the lock
 * ({@code ContractImpl.forkRacedKill}). Methods named {@code ...Locked}
 * run with that lock held by the caller; the others take it themselves.
 * {@link #killLocked} does the marking under the
 * lock and collects the work of rungs 1, 2 and 4; that work
 * ({@link KillWork}) runs after the lock is released, since interrupts,
 * cancels and closes run hooks and user code; rung 4 runs on
 * {@link KillReaper}'s threads and hands its outcomes back under the lock
 * ({@link #killStepsStarted}). The wait for the emptying uses the contract's
 * {@code emptied} condition, which the emptying signals
 * ({@code ContractImpl.emptiedLocked}). Invariants:
 * <ul>
 * <li>{@code killed} only goes from false to true: after the first kill a
 *     resource is not registered but closed at once.</li>
 * <li>A registered resource is closed at most once: the kill takes the list
 *     ({@code resources}) for rung 4, or the contract's death takes it for
 *     {@code ContractImpl.unlock()} ({@code releasedResources}), both under
 *     the lock, each leaving null behind.</li>
 * <li>{@code killEmptiedNanos} is 0 until the current kill empties the
 *     contract, and set once per kill; the end of a kill is reported to
 *     {@link Telemetry} once when it empties ({@code killEnded}), and at each
 *     wait that ends with stragglers before that.</li>
 * <li>{@code killOutcomes} is never null: {@code Outcomes.NONE} until rung 4
 *     of a kill starts.</li>
 * </ul>
 * Lock order: {@link io.jcontract.internal the package documentation}.
 */
final class KillLadder {
    private final ContractImpl contract;

    // guarded by the contract's lock
    boolean killed;
    private long killStartNanos;
    KillReport lastKill;
    private boolean killEnded;      // the current kill's emptying was reported (Telemetry, JFR)
    /** Rung 4 of the current kill, as far as it has gone (never null once killed). */
    private KillReaper.Outcomes killOutcomes = KillReaper.Outcomes.NONE;
    /** When the current kill emptied the contract (System.nanoTime), or 0 while not empty. */
    private long killEmptiedNanos;
    /** The resources registered with the contract, in registration order; closed by rung 4. */
    ArrayList<AutoCloseable> resources;
    /** Resources of a contract that died without a kill, closed in {@link ContractImpl#unlock()}. */
    List<AutoCloseable> releasedResources;

    KillLadder(ContractImpl contract) {
        this.contract = contract;
    }

    /** Rung 4 of the current kill has started ({@link KillWork}); status and tests read its outcomes. */
    void killStepsStarted(KillReaper.Outcomes outcomes) {
        contract.lock.lock();
        try {
            killOutcomes = outcomes;
        } finally {
            contract.unlock();
        }
    }

    /** Rung 4 of the current kill (for tests): waits until every step has ended. */
    boolean awaitKillSteps(Duration timeout) throws InterruptedException {
        KillReaper.Outcomes o;
        contract.lock.lock();
        try {
            o = killOutcomes;
        } finally {
            contract.unlock();
        }
        return o.awaitDone(timeout);
    }

    /** One step per registered resource, in registration order. */
    static List<KillReaper.Step> closeSteps(List<AutoCloseable> resources) {
        List<KillReaper.Step> steps = new ArrayList<>(resources.size());
        for (AutoCloseable r : resources) {
            String what = "close " + r.getClass().getName() + "@" + Integer.toHexString(System.identityHashCode(r));
            steps.add(new KillReaper.Step(what, bound -> r.close()));
        }
        return steps;
    }

    /**
     * Kills every member but {@code offender} (illumos
     * {@code contract_process_kill}): the owner's kill passes null. Privilege
     * and group filtering come with credentials; {@code checkPrivilege} keeps
     * their place.
     */
    void kill(Member offender, boolean checkPrivilege) {
        KillWork work;
        contract.lock.lock();
        try {
            work = killLocked(offender, checkPrivilege);
        } finally {
            contract.unlock();
        }
        if (work != null) work.run();
    }

    /**
     * The holder's kill: {@code holder} must hold the contract, checked under
     * the lock that the kill's marking takes, so a contract that changed
     * hands in between is not killed for its former holder.
     *
     * @return false if {@code holder} does not hold it now
     */
    boolean killAsHolder(Member holder) {
        KillWork work;
        contract.lock.lock();
        try {
            if (contract.owner != holder || contract.state != ContractState.OWNED) return false;
            work = killLocked(null, false);
        } finally {
            contract.unlock();
        }
        if (work != null) work.run();
        return true;
    }

    KillWork killLocked(Member offender, boolean checkPrivilege) {
        if (contract.state == ContractState.DEAD) return null;
        killed = true;
        killStartNanos = System.nanoTime();
        killEnded = false;
        killEmptiedNanos = 0;
        Telemetry.killed();
        List<Member> victims = new ArrayList<>(), cancelled = new ArrayList<>();
        Member lastCancelled = null;
        boolean groupOnly = offender != null && contract.terms.has(Param.PGRPONLY);
        long group = groupOnly ? offender.group : 0;
        contract.members.setFlag(Membership.KILLED);
        contract.members.killSeq++;     // odd: a lock-free join that overlaps this walk asks the lock (forkRacedKill)
        try {
            for (Member m = contract.members.head(); m != null; m = m.next) {
                if (m.state == Member.GONE || m == offender || (groupOnly && m.group != group)
                        || (checkPrivilege && !Credentials.mayKill(contract, offender, m))) continue;
                m.killed = true;            // a LEAVING_* member is marked (status shows it) but needs nothing more
                if (m.state == Member.PENDING && m.casState(Member.PENDING, Member.GONE)) {
                    cancelled.add(m);
                    lastCancelled = m;
                } else if (m.state == Member.RUNNING) {
                    victims.add(m);
                }
            }
        } finally {
            contract.members.killSeq++;
        }
        List<AutoCloseable> toClose = resources == null ? List.of() : resources;
        resources = null;
        if (lastCancelled != null) contract.releaseLocked(cancelled.size(), lastCancelled);
        if (contract.members.isEmpty()) {
            if (killEmptiedNanos == 0) killEmptiedNanos = killStartNanos;
            killEndedLocked(0, 0, true);
        }
        return new KillWork(contract, victims, cancelled, toClose, !groupOnly);
    }

    void register(AutoCloseable resource) {
        contract.lock.lock();
        try {
            if (!killed && contract.state != ContractState.DEAD) {
                if (resources == null) resources = new ArrayList<>();
                for (AutoCloseable r : resources) if (r == resource) return;     // closed at most once
                resources.add(resource);
                return;
            }
        } finally {
            contract.unlock();
        }
        KillReaper.start(contract.id + "-late", closeSteps(List.of(resource)));
    }

    /** Waits for the contract to be empty, then reports the members still alive. */
    KillReport awaitEmpty(Duration timeout) throws InterruptedException {
        long nanos = Timeouts.saturatedNanos(timeout);
        List<Member> left;
        long start, emptiedAt;
        KillReaper.Outcomes outcomes;
        contract.lock.lock();
        try {
            while (!contract.members.isEmpty() && nanos > 0) nanos = contract.emptied.awaitNanos(nanos);
            start = killStartNanos;
            emptiedAt = contract.members.isEmpty() ? killEmptiedNanos : 0;
            outcomes = killOutcomes;
            left = new ArrayList<>();
            if (!contract.members.isEmpty())
                for (Member m = contract.members.head(); m != null; m = m.next) if (m.state != Member.GONE) left.add(m);
        } finally {
            contract.unlock();
        }
        List<KillReport.Straggler> stragglers = new ArrayList<>();
        for (Member m : left) {
            Thread t = m.runnerOrThread();
            stragglers.add(new KillReport.Straggler(m.id, t == null ? "" : t.getName(),
                    t == null ? List.of() : Arrays.asList(t.getStackTrace())));
        }
        long elapsed = start == 0 ? 0 : (emptiedAt != 0 ? emptiedAt : System.nanoTime()) - start;
        KillReport report = new KillReport(contract.id, left.isEmpty(), Duration.ofNanos(Math.max(0, elapsed)), stragglers,
                outcomes.snapshot());
        contract.lock.lock();
        try {
            lastKill = report;
            if (start != 0) killEndedLocked(elapsed, stragglers.size(), report.empty());
        } finally {
            contract.unlock();
        }
        return report;
    }

    /**
     * The contract's live count has just reached zero
     * ({@code ContractImpl.emptiedLocked}, under the lock): if it was ever
     * killed, the current kill emptied it now.
     */
    void emptiedLocked() {
        if (!killed) return;
        long now = System.nanoTime();
        if (killEmptiedNanos == 0) killEmptiedNanos = now;
        killEndedLocked(now - killStartNanos, 0, true);
    }

    /**
     * Reports the end of the current kill to {@link Telemetry} (metrics, JFR):
     * once when the contract empties, and at each wait that ends with
     * stragglers before that.
     */
    private void killEndedLocked(long nanos, int stragglers, boolean empty) {
        if (killEnded) return;
        killEnded = empty;
        Telemetry.killEnded(contract.id, nanos, stragglers, empty);
    }
}
