package io.jcontract.internal;

import io.jcontract.internal.jfr.JfrEvents;
import io.jcontract.ContractLimitException;
import io.jcontract.ContractEvent;
import io.jcontract.ContractKilledException;
import io.jcontract.EventType;
import io.jcontract.Param;

/**
 * Fork, exec and exit of members: the JVM's {@code cfork}, {@code exec} and
 * {@code proc_exit} as far as contracts see them.
 *
 * <h2>Theory of operation</h2>
 * A fork runs on the parent's thread, before the child can run: it picks
 * the contract (a new one from the parent's active template, else the
 * parent's own), makes the child's member and joins it, so that the child
 * is a member (or, for a pooled task, a pending one) before it exists for
 * anybody else. The child's body then runs inside {@link #runThread} or
 * {@link #runTask}, which bind the member to the running thread, skip the
 * body if the member was killed before it could start, and on the way out
 * classify the death, abandon what the member holds and leave the contract.
 *
 * <p>A started thread is a fork followed by an "exec" of its body: the
 * template copied at fork is cleared before the body runs unless the
 * template has {@link Param#KEEP_EXEC}.
 *
 * <p>Deaths: an uncaught {@link VirtualMachineError} is HWERR (fatal kills
 * everybody); another uncaught throwable is CORE unless the executor keeps
 * it in a Future (then only the EXIT carries it); anything a killed member
 * dies of is the kill, which is reported by EXIT status
 * {@link ContractEvent.Exit#STATUS_KILLED} alone. A death after an interrupt
 * from outside the contract (noted by the agent through {@link #interrupted})
 * is SIGNAL.
 */
public final class Lifecycle {
    private static final ContractTable T = ContractTable.TABLE;

    private Lifecycle() {
    }

    /**
     * Forks a thread member for {@code child}, which is not started yet: the
     * explicit API's fork ({@code ContractThreads}). The agent weaves a call
     * at its end that tells its {@code Thread.start} hook not to fork the
     * same start again.
     */
    public static Member forkThread(Thread child) {
        return forkStartingThread(child);
    }

    /**
     * As {@link #forkThread}, for the agent's {@code Thread.start} hook, which
     * has already decided that this start is a fork (not woven).
     */
    public static Member forkStartingThread(Thread child) {
        try {
            return fork(child);
        } catch (ContractKilledException | ContractLimitException e) {
            Telemetry.forkRefused(e);
            throw e;
        }
    }

    /** Forks a pooled task: a pending member of the submitter's (or a new) contract. */
    public static Member forkTask() {
        try {
            return fork(null);
        } catch (ContractKilledException | ContractLimitException e) {
            Telemetry.forkRefused(e);
            throw e;
        }
    }

    private static Member fork(Thread child) {
        Member parent = T.current();
        if (parent.killed)
            throw new ContractKilledException("member " + parent.id + " of contract " + parent.contract.id
                    + " has been killed: it cannot start " + (child == null ? "a task" : "a thread"));
        Terms t = parent.active;
        ContractImpl priorLatest = parent.latest();
        ContractImpl target = t == null ? parent.contract : ContractImpl.create(T, t, parent);
        Member m = child == null ? Member.forTask(target, parent) : Member.forThread(child, target, parent);
        if (t != null) {
            m.createdBy(parent, priorLatest);
            if (t.has(Param.KEEP_EXEC)) m.active = t;
        }
        try {
            target.join(m, parent);
        } catch (RuntimeException e) {
            if (t != null) {
                T.publish(target);          // so that its death takes it out of the table and the limit
                target.succession.abandon(parent);
            }
            throw e;
        }
        if (t != null) {
            T.publish(target);              // visible only with its first member in it
            ThreadDumpView.created(target);
        }
        if (t != null && t.transfer() != 0) m.setPendingTransfer(t.transfer());
        return m;
    }

    /**
     * The agent's start hook forked {@code m} for {@code t}: {@code m} sits in
     * the thread registry from now until {@code t} begins its body
     * ({@link #beginThread}, which finds it there) or its start fails
     * ({@link #threadStartFailed}).
     */
    public static void threadStartPending(Thread t, Member m) {
        T.registerThread(t, m);
    }

    /** The start of {@code t}, for which the agent's hook forked {@code m}, threw {@code failure}. */
    public static void threadStartFailed(Thread t, Member m, Throwable failure) {
        T.unregisterThread(t);
        forkFailed(m, failure);
    }

    /**
     * The fork that made {@code m} can no longer fail: its thread started,
     * its executor took the task, or the child began. If that fork created a
     * contract with a transfer term, the transfer happens now, not at the
     * creation, so that a fork that fails moves and abandons nothing (see
     * {@link #forkFailed}). Idempotent; any thread.
     */
    public static void forkCompleted(Member m) {
        int from = m.takePendingTransfer();
        if (from != 0) ContractImpl.transfer(from, m.contract, m.createdBy());
    }

    /**
     * The fork could not be completed (the thread did not start, the
     * executor rejected the task): the child leaves without having run and,
     * if the fork created its contract, that contract is abandoned and the
     * creator's latest contract is what it was, as if the fork never was.
     */
    public static void forkFailed(Member m, Throwable failure) {
        m.takePendingTransfer();        // never applied: the old contract and what it holds stay as they were
        if (m.task) m.contract.cancelPending(m);
        else m.contract.exit(m, ContractEvent.Exit.STATUS_FAILED, failure);
        Member creator = m.createdBy();
        if (creator != null) {
            m.contract.succession.abandon(creator);
            if (creator.latest() == m.contract) creator.latest(m.priorLatest());
        }
    }

    /**
     * Whether a thread the explicit API starts should run its body inside a
     * {@link CurrentBinding} of its member ({@link #runBound}): JDK 25+ and no
     * thread registry (with the agent, the registry finds the member).
     */
    public static boolean bindsCurrent() {
        return CurrentBinding.ON && !T.registryOn();
    }

    /** Runs {@code entry} (which goes on to {@link #runThread}) with {@code m} bound as the thread's member. */
    public static void runBound(Member m, Runnable entry) {
        CurrentBinding.run(m, entry);
    }

    /** Runs a thread member's body on its own thread. Rethrows what the body threw. */
    public static void runThread(Member m, Runnable body) {
        runThread(m, body, false);
    }

    /**
     * As {@link #runThread(Member, Runnable)}; {@code bound}: the thread runs
     * inside a {@link CurrentBinding} of {@code m} ({@link #runBound}), which
     * says who it is without a look-up (a first look-up would make the
     * thread's scoped-value cache, 144 bytes).
     */
    public static void runThread(Member m, Runnable body, boolean bound) {
        Throwable failure = null;
        try {
            if (beginThread(m, bound)) body.run();
        } catch (Throwable t) {
            failure = t;
        } finally {
            endThread(m, failure);
        }
        if (failure != null) Lifecycle.<RuntimeException>rethrow(failure);
    }

    /**
     * The first thing a forked thread does: binds its member to it.
     *
     * @return false if the member was killed before it could run its body
     */
    public static boolean beginThread(Member m) {
        return beginThread(m, false);
    }

    private static boolean beginThread(Member m, boolean bound) {
        Thread me = Thread.currentThread();
        m.bindRunner(me);
        if (!bound) T.setCurrent(m);
        T.registerThread(me, m);
        forkCompleted(m);
        return !m.killed;
    }

    /** The last thing a forked thread does: leaves its contract, with what it died of (or null). */
    public static void endThread(Member m, Throwable failure) {
        try {
            exit(m, failure, false);
        } finally {
            T.unregisterThread(m.runnerOrThread());
            T.clearCurrent();
        }
    }

    /**
     * Kill rung 3's deferred re-interrupt: interrupts the thread running {@code m} if {@code m}
     * is killed and still running there (never a pool worker that has moved on to another task).
     */
    public static void reinterrupt(Member m) {
        m.reinterruptIfRunning();
    }

    /** A pending task that will never run (discarded by its pool, shut down) is settled. */
    public static void cancelPending(Member m) {
        m.contract.cancelPending(m);
    }

    /**
     * Notes that {@code sender} interrupted {@code target}: if the sender is
     * outside the target's contract and is not its holder, a death of the
     * target that follows is a SIGNAL (illumos {@code contract_process_sig}).
     */
    public static void interrupted(Member target, Thread sender) {
        Member s = T.current();
        if (s.contract == target.contract || target.contract.succession.isHeldBy(s)) return;
        target.signalledBy(sender.threadId(), s.contract.id);
    }

    /** The body of a pooled task; returns what a Future captured, or null. */
    @FunctionalInterface
    public interface TaskBody {
        Throwable run() throws Throwable;
    }

    /**
     * Runs a pending task on the calling worker, if it was not cancelled.
     * The worker's own member is restored afterwards, and an interrupt a
     * kill aimed at the task is cleared so that it cannot reach the
     * worker's next task. Rethrows what the body threw.
     */
    public static void runTask(Member m, TaskBody body) {
        Member previous = beginTask(m);
        if (previous == null) return;
        Throwable uncaught = null, captured = null;
        try {
            captured = body.run();
        } catch (Throwable t) {
            uncaught = t;
        } finally {
            endTask(m, previous, uncaught, captured);
        }
        if (uncaught != null) Lifecycle.<RuntimeException>rethrow(uncaught);
    }

    /**
     * The first half of {@link #runTask} for hooks that cannot wrap the body
     * (the agent's hooks): binds pending {@code m} to the calling worker.
     *
     * @return the worker's previous member, to give back to {@link #endTask},
     *         or null if the task was cancelled or killed and must not run
     */
    public static Member beginTask(Member m) {
        Thread worker = Thread.currentThread();
        Member previous = T.current();
        if (!m.contract.startPending(m, worker)) return null;
        if (!previous.foreign) previous.unbindRunner();   // nested: a kill of the outer member must not hit m
        forkCompleted(m);
        T.setCurrent(m);
        Member displaced = T.registerThread(worker, m);
        if (previous.foreign && displaced != null && displaced.awaitsStartOn(worker)) m.rare().displacedStart = displaced;
        return previous;
    }

    /** What the worker's registry entry goes back to when task {@code m} ends: {@code previous}, or a pending start it displaced. */
    private static Member registeredAfter(Member m, Member previous) {
        if (!previous.foreign) return previous;
        Member.Rare r = m.rareOrNull();
        return r == null ? null : r.displacedStart;
    }

    /** The second half of {@link #runTask}: what the body threw ({@code uncaught}) or a Future kept ({@code captured}). */
    public static void endTask(Member m, Member previous, Throwable uncaught, Throwable captured) {
        T.setCurrent(previous);
        T.registerThread(Thread.currentThread(), registeredAfter(m, previous));
        m.unbindRunner();
        if (m.killed) Thread.interrupted();
        resumeOuter(previous);
        if (uncaught != null) exit(m, uncaught, false);
        else exit(m, captured, captured != null);
    }

    /**
     * A pooled task's Future is about to complete: the task leaves its
     * contract first, so that whoever the Future wakes sees it gone.
     */
    public static void taskCompleting(Member m, Throwable captured) {
        exit(m, captured, captured != null);
    }

    /**
     * As {@link #taskCompleting(Member, Throwable)}, for a worker that will go on running the
     * Future's {@code done()} callbacks: the worker stops being {@code m} first ({@code previous}
     * becomes its member again, {@code m} no longer has a runner), so that nothing a callback
     * does (a fork, an interrupt aimed at {@code m}) is done as, or to, a member that has exited.
     * {@link #endTask} afterwards finds {@code m} gone and only repeats the restore.
     */
    public static void taskCompleting(Member m, Member previous, Throwable captured) {
        T.setCurrent(previous);
        T.registerThread(Thread.currentThread(), registeredAfter(m, previous));
        m.unbindRunner();
        if (m.killed) Thread.interrupted();
        resumeOuter(previous);
        exit(m, captured, captured != null);
    }

    /**
     * The member a task ran nested in ({@link #beginTask} unbound it) is the calling thread's
     * runner again; if it was killed meanwhile, the interrupt its kill could not deliver is
     * delivered now.
     */
    private static void resumeOuter(Member previous) {
        if (previous.foreign) return;
        Thread me = Thread.currentThread();
        previous.bindRunner(me);
        if (previous.killed && !me.isInterrupted()) me.interrupt();
    }

    /**
     * The member leaves its contract. Classifying the death and giving up
     * what the member holds run user code and allocate (a fatal kill closes
     * resources and cancels Futures; an event needs memory), so they may
     * throw; the member leaves its contract whatever they do, and the first
     * throwable is passed on afterwards.
     */
    private static void exit(Member m, Throwable failure, boolean captured) {
        if (m.exited) return;
        m.exited = true;
        ContractImpl c = m.contract;
        int status = m.killed ? ContractEvent.Exit.STATUS_KILLED
                : failure == null ? ContractEvent.Exit.STATUS_OK : ContractEvent.Exit.STATUS_FAILED;
        try {
            if (status == ContractEvent.Exit.STATUS_FAILED) died(c, m, failure, captured);
        } finally {
            try {
                ownerGone(m);
            } finally {
                c.exit(m, status, failure);
            }
        }
    }

    /** Classifies a death and applies the fatal set (illumos {@code contract_process_core}, {@code _hwerr}). */
    private static void died(ContractImpl c, Member m, Throwable failure, boolean captured) {
        if (failure instanceof VirtualMachineError vme) {
            JfrEvents.hwErr(c.id, m.id, vme);
            c.events.publishDeath(EventType.HWERR,
                    id -> new ContractEvent.HwErr(id, c.id, c.events.isCritical(EventType.HWERR), m.id, vme));
            if (c.terms.isFatal(EventType.HWERR)) c.kills.kill(m, false);
        } else if (m.signalSender() != 0) {
            long sender = m.signalSender();
            int senderContract = m.signalSenderContract();
            JfrEvents.signal(c.id, m.id, sender, senderContract, failure);
            c.events.publishDeath(EventType.SIGNAL, id -> new ContractEvent.Signal(id, c.id, c.events.isCritical(EventType.SIGNAL),
                    m.id, failure, sender, senderContract));
            if (c.terms.isFatal(EventType.SIGNAL)) c.kills.kill(m, true);
        } else if (!captured) {
            JfrEvents.core(c.id, m.id, failure);
            java.nio.file.Path postMortem = c.events.sends(EventType.CORE) ? PostMortem.write(c, m, failure) : null;
            c.events.publishDeath(EventType.CORE,
                    id -> new ContractEvent.Core(id, c.id, c.events.isCritical(EventType.CORE), m.id, failure, postMortem));
            if (c.terms.isFatal(EventType.CORE)) c.kills.kill(m, true);
        }
    }

    /** A member or foreign thread ended: what it holds is given up, its owner queue dies. */
    static void ownerGone(Member m) {
        OwnerState os = m.ownerStateOrNull();
        if (os == null) return;
        Throwable first = null;
        for (ContractImpl c : os.snapshot()) {
            try {
                c.succession.ownerExited(m);
            } catch (Throwable t) {       // the others are still given up
                if (first == null) first = t;
            }
        }
        os.queue.markDead();
        if (first != null) Lifecycle.<RuntimeException>rethrow(first);
    }

    @SuppressWarnings("unchecked")
    static <E extends Throwable> void rethrow(Throwable t) throws E {
        throw (E) t;
    }
}
