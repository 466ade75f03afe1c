package io.jcontract.internal;

import io.jcontract.internal.jfr.JfrEvents;
import io.jcontract.ContractLimitException;
import io.jcontract.ContractEvent;
import io.jcontract.Credential;
import io.jcontract.ContractKilledException;
import io.jcontract.ContractState;
import io.jcontract.EventType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A process contract: a set of members forming one fault boundary, held by
 * an owner that is not itself a member.
 *
 * <h2>Theory of operation</h2>
 * Membership is not guarded by the lock on the default terms: fork, a
 * task's start and cancel, and exit move the control word of
 * {@link Membership} (live count; DEAD, ORPHAN, KILLED bits) and the
 * member's own state by CAS, and take no lock shared by the contract. The
 * exception is the exit (or cancel) that moves the live count from 1 to 0:
 * it makes that move under {@code lock}, with the one EMPTY of that
 * emptying, the wake-up of {@code awaitEmpty} and an orphan's death. Terms
 * that send FORK or EXIT take the <em>event path</em>: those steps run
 * under {@code lock}, publishing their events in order.
 *
 * <p>Everything else that changes is guarded by {@code lock}: the state,
 * the holder, the unacknowledged critical events, the registered resources,
 * the kill's bookkeeping. Events are published <em>under</em> that lock (an
 * id from the table's counter, then a lock-free offer to the contract's
 * queue, the bundle and the holder's queue), which is what makes two events
 * of one contract reach all three queues in the same order. No lock is held
 * while user code runs: kills collect their victims under the lock and
 * interrupt them, cancel tasks and close resources after releasing it.
 *
 * <p>Invariants:
 * <ul>
 * <li>The live count of {@link Membership} is the number of RUNNING members
 *     and PENDING tasks counted in and not yet gone; it reaches zero only
 *     under {@code lock}.</li>
 * <li>A fork either precedes a kill (the kill's walk marks the child) or,
 *     if its parent is a member of this contract that the kill marked,
 *     fails: a lock-free fork that a walk may have missed (the kill
 *     sequence changed) decides under the lock ({@code forkRacedKill}).</li>
 * <li>EMPTY is published exactly once per emptying (the move to zero), after
 *     the EXIT of the member that emptied it. An OWNED empty contract lives
 *     on until abandoned, and may be joined again; an ORPHAN dies when it
 *     empties, and nothing can join it at zero (the ORPHAN bit).</li>
 * <li>A DEAD contract (DEAD bit set only at zero, by CAS) is out of the
 *     table, has no holder, members or unacknowledged events, and its queue
 *     is marked dead.</li>
 * </ul>
 *
 * <p>Jobs kept in their own classes (the split of issue 14, in progress):
 * the member list and its counts are {@link Membership}; publishing events
 * and their acknowledgement is {@link ContractEvents}; the holder and how
 * the contract passes on (abandon, regent, adopt, transfer, orphan, death)
 * is {@link Succession}; the kill (its marking walk, the registered
 * resources, the wait for the emptying and its report) is
 * {@link KillLadder}, and what a kill does after the lock (rungs 1, 2 and
 * 4) is {@link KillWork}; building a status snapshot is
 * {@link ContractStatusBuilder}; the holdings of a member are
 * {@link OwnerState}; what members created is {@link Ownership}.
 * {@code ContractEvents}, {@code Succession}, {@code KillLadder} and
 * {@code ContractStatusBuilder} work on this contract's fields under its
 * one {@code lock}; membership (join, start, cancel, exit, the emptying)
 * and the state and counts stay here.
 *
 * <p>Lock order: see {@link io.jcontract.internal the package documentation}
 * (contract lock, then an event queue's reader lock; never two contract
 * locks; nothing that runs a hook, such as an interrupt, under either; the
 * default terms' fork and exit take none of them).
 */
public final class ContractImpl {
    final int id;
    final Terms terms;
    final ContractTable table;
    final long creatorId;
    final String creatorName;
    final String identity;
    final int serviceContractId;
    final Object limitIdentity;
    /**
     * True for the root contract only: it keeps no member list, publishes no
     * events and takes no lock on fork and exit, because every thread of the
     * JVM that is in no other contract forks into it. Its members' states
     * are guarded by their own monitors instead.
     */
    final boolean untracked;
    /**
     * The terms send FORK or EXIT: fork, a task's start and exit take the
     * event path under {@code lock}. Otherwise they take the lock-free path
     * ({@link Membership}).
     */
    private final boolean memberEvents;
    /** The creator's credential: whom CORE and SIGNAL kills act as. */
    final Credential author;
    final EventQueue queue;
    /** Publishing and acknowledgement of this contract's events, under {@code lock}. */
    final ContractEvents events = new ContractEvents(this);
    /** Holder, regent, adoption and transfer of this contract, under {@code lock}. */
    final Succession succession = new Succession(this);
    /** This contract's kills and registered resources, under {@code lock}. */
    final KillLadder kills = new KillLadder(this);

    final ReentrantLock lock = new ReentrantLock();
    /** Signalled when the live count reaches zero ({@link #emptiedLocked}); KillLadder.awaitEmpty waits on it. */
    final Condition emptied = lock.newCondition();

    // guarded by lock
    ContractState state = ContractState.OWNED;
    Member owner;
    final Membership members = new Membership();
    LinkedHashMap<Long, Published> unacked;
    ContractImpl regent;
    ArrayList<ContractImpl> inherited;
    List<ContractImpl> releasedInherited;
    /** What members created (pools, channels, lifecycle objects); made on first creation. */
    volatile Ownership ownership;
    private static final java.lang.invoke.VarHandle OWNERSHIP;

    static {
        try {
            OWNERSHIP = java.lang.invoke.MethodHandles.lookup().findVarHandle(ContractImpl.class, "ownership", Ownership.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** This contract's {@link Ownership}, made on first use. */
    Ownership ownership() {
        Ownership o = ownership;
        if (o != null) return o;
        OWNERSHIP.compareAndSet(this, null, new Ownership(this));
        return ownership;
    }

    /** The agent's JDK thread container for this contract ({@link ThreadDumpView}); set once by CAS, then read anywhere. */
    volatile Object dumpContainer;
    private static final java.lang.invoke.VarHandle DUMP_CONTAINER;
    static {
        try {
            DUMP_CONTAINER = java.lang.invoke.MethodHandles.lookup()
                    .findVarHandle(ContractImpl.class, "dumpContainer", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Releases the lock, then abandons the contracts a destroyed regent held (never two locks at once). */
    void unlock() {
        List<ContractImpl> released = releasedInherited;
        releasedInherited = null;
        List<AutoCloseable> closing = kills.releasedResources;
        kills.releasedResources = null;
        lock.unlock();
        if (released != null) for (ContractImpl c : released) c.succession.abandonInherited(this);
        if (closing != null) {
            Ownership o = ownership;
            if (o != null) o.release();
            KillReaper.start(id + "-closed", KillLadder.closeSteps(closing));
        }
    }

    private ContractImpl(ContractTable table, int id, Terms terms, Member creator, String creatorName,
                         String identity, int serviceContractId, Object limitIdentity) {
        this.table = table;
        this.id = id;
        this.terms = terms;
        this.creatorId = creator == null ? 0 : creator.id;
        this.creatorName = creatorName;
        this.identity = identity;
        this.serviceContractId = serviceContractId;
        this.limitIdentity = limitIdentity;
        this.author = creator == null ? Credential.system() : creator.credential();
        this.untracked = creator == null;
        this.memberEvents = terms.sends(EventType.FORK) || terms.sends(EventType.EXIT);
        this.queue = new EventQueue("contract " + id, true, EventQueue.DEFAULT_CAPACITY);
    }

    static ContractImpl root(ContractTable table, int id) {
        ContractImpl root = new ContractImpl(table, id, Terms.ROOT, null, "jvm", Terms.ROOT.identity(), id, "root");
        root.state = ContractState.OWNED;
        return root;
    }

    /**
     * Creates a contract held by {@code parent} from the terms it has active
     * (illumos {@code contract_process_create}); the caller then adds the
     * first member and only then publishes it in the table, so that a kill
     * by id (the monitoring MXBean) that finds it marks that member. Fails
     * with {@link ContractLimitException} before anything is visible.
     */
    static ContractImpl create(ContractTable table, Terms t, Member parent) {
        Object limitIdentity = Credentials.limitIdentity(parent);
        int id = table.reserve(limitIdentity);
        ContractImpl pc = parent.contract;
        boolean ownIdentity = t.identity() != null;
        Thread pt = parent.runnerOrThread();
        ContractImpl c = new ContractImpl(table, id, t, parent, pt == null ? "" : pt.getName(),
                ownIdentity ? t.identity() : pc.identity, ownIdentity ? id : pc.serviceContractId, limitIdentity);
        OwnerState os = parent.ownerState();
        boolean firstHolding = os.count() == 0 && parent.latest() == null;
        c.owner = parent;
        os.add(c);
        parent.latest(c);           // in the table only once its first member joined: Lifecycle.fork
        if (parent.foreign && firstHolding) table.watchForeignOwner(parent);
        return c;
    }

    /**
     * Applies the transfer term of the terms that created {@code successor}
     * (see {@link Lifecycle#forkCompleted}): only once the fork that created
     * it can no longer fail, so that a failed fork moves and abandons nothing.
     */
    static void transfer(int fromId, ContractImpl successor, Member creator) {
        ContractImpl old = successor.table.find(fromId);
        if (old != null) old.succession.transferTo(successor, creator);
    }

    // ----------------------------------------------------------------- membership
    //
    // Two paths. The default terms (no FORK and no EXIT event) take the
    // lock-free path: fork, a task's start and cancel, and exit move only the
    // control word and the member's state by CAS ({@link Membership}); only
    // the exit that empties the contract takes the lock (release). Terms that
    // send FORK or EXIT take the event path: each of these steps is one
    // critical section under the lock, as the events must be published in
    // the order of the steps (a member's EXIT before the EMPTY that follows).

    private ContractKilledException killedFork(Member child, Member parent) {
        return new ContractKilledException("member " + parent.id + " of contract " + id
                + " has been killed: it cannot start " + (child.task ? "a task" : "a thread"));
    }

    private ContractKilledException deadFork() {
        return new ContractKilledException("contract " + id + " is dead: nothing can join it");
    }

    /** Adds {@code child}, forked by {@code parent} (illumos {@code contract_process_fork}). */
    void join(Member child, Member parent) {
        if (untracked) return;
        if (memberEvents) {
            joinWithEvents(child, parent);
            return;
        }
        int seq = members.killSeq;
        if (parent.contract == this && parent.killed) throw killedFork(child, parent);
        long c = members.enter(false);
        if (c < 0) throw deadFork();
        members.push(child);
        if ((c & Membership.YOU_PRUNE) != 0) members.prune();
        if ((seq & 1) != 0 || members.killSeq != seq) forkRacedKill(child, parent);
        if (!child.task) JfrEvents.fork(id, child.id, parent.id);
    }

    /**
     * A lock-free join that a kill's walk may have missed: decided under the
     * lock, once that walk is over, as if the join had come after the kill.
     * A parent of this contract that the kill marked cannot fork: the child
     * is taken out again and the fork fails; anyone else's child stays
     * (marked or not, as the walk found it).
     */
    private void forkRacedKill(Member child, Member parent) {
        lock.lock();
        try {
            if (parent.contract != this || !parent.killed) return;
            child.killed = true;
            if (child.casState(child.task ? Member.PENDING : Member.RUNNING, Member.GONE)) releaseLocked(1, child);
        } finally {
            unlock();
        }
        throw killedFork(child, parent);
    }

    private void joinWithEvents(Member child, Member parent) {
        lock.lock();
        try {
            if (parent.contract == this && parent.killed) throw killedFork(child, parent);
            long c = members.enter(false);
            if (c < 0) throw deadFork();
            members.push(child);
            if ((c & Membership.YOU_PRUNE) != 0) members.prune();
            if (!child.task) {
                if (terms.sends(EventType.FORK))
                    events.publishLocked(new ContractEvent.Fork(table.nextEventId(), id,
                            terms.isCritical(EventType.FORK), child.id, parent.id));
                JfrEvents.fork(id, child.id, parent.id);
            }
        } finally {
            unlock();
        }
    }

    /**
     * Adds {@code worker}, a worker thread of a pool this contract owns
     * ({@link Ownership#forkWorker}); false if the contract was killed or is dead
     * (then the worker is no member, and the kill shuts its pool down).
     */
    boolean joinWorker(Member worker) {
        if (untracked) return false;
        if (!memberEvents) {
            int seq = members.killSeq;
            long c = members.enter(true);
            if (c < 0) return false;
            members.push(worker);
            if ((c & Membership.YOU_PRUNE) != 0) members.prune();
            if ((seq & 1) != 0 || members.killSeq != seq) {
                lock.lock();
                try {
                    if (kills.killed) {       // the kill came first: as if the worker had never joined
                        worker.killed = true;
                        if (worker.casState(Member.RUNNING, Member.GONE)) releaseLocked(1, worker);
                        return false;
                    }
                } finally {
                    unlock();
                }
            }
            JfrEvents.fork(id, worker.id, worker.parent);
            return true;
        }
        lock.lock();
        try {
            long c = members.enter(true);
            if (c < 0) return false;
            members.push(worker);
            if ((c & Membership.YOU_PRUNE) != 0) members.prune();
            if (terms.sends(EventType.FORK))
                events.publishLocked(new ContractEvent.Fork(table.nextEventId(), id,
                        terms.isCritical(EventType.FORK), worker.id, worker.parent));
            JfrEvents.fork(id, worker.id, worker.parent);
            return true;
        } finally {
            unlock();
        }
    }

    /** A pending task starts on {@code worker} (the calling thread); false if it was cancelled or killed first. */
    boolean startPending(Member m, Thread worker) {
        if (untracked) {
            synchronized (m) {
                if (m.state != Member.PENDING) return false;
                m.state = Member.RUNNING;
                m.bindRunner(worker);
                return true;
            }
        }
        if (!memberEvents) {
            if (!m.casState(Member.PENDING, Member.RUNNING)) return false;
            m.bindRunner(worker);
            // a kill whose walk found it RUNNING but not yet bound sent no interrupt: deliver it
            if (m.killed && worker == Thread.currentThread() && !worker.isInterrupted()) worker.interrupt();
            JfrEvents.fork(id, m.id, m.parent);
            return true;
        }
        lock.lock();
        try {
            if (!m.casState(Member.PENDING, Member.RUNNING)) return false;
            m.bindRunner(worker);
            if (terms.sends(EventType.FORK))
                events.publishLocked(new ContractEvent.Fork(table.nextEventId(), id,
                        terms.isCritical(EventType.FORK), m.id, m.parent));
            JfrEvents.fork(id, m.id, m.parent);
            return true;
        } finally {
            unlock();
        }
    }

    /** A pending task will never run (cancelled, rejected, killed); false if it already started or left. */
    boolean cancelPending(Member m) {
        if (untracked) {
            synchronized (m) {
                if (m.state != Member.PENDING) return false;
                m.state = Member.GONE;
                return true;
            }
        }
        if (!m.casState(Member.PENDING, Member.LEAVING_PENDING)) return false;
        release(m);
        return true;
    }

    /** A running member leaves (illumos {@code contract_process_exit}). */
    void exit(Member m, int status, Throwable cause) {
        if (untracked) {
            synchronized (m) {
                m.state = Member.GONE;
            }
            return;
        }
        if (!memberEvents) {
            if (!m.casState(Member.RUNNING, Member.LEAVING_RUNNING)) return;
            JfrEvents.exit(id, m.id, status, cause);
            release(m);
            return;
        }
        lock.lock();
        try {
            if (!m.casState(Member.RUNNING, Member.GONE)) return;
            boolean last = members.leave(1) == 1;
            if (last) members.tryPrune();
            try {           // an event needs memory: the emptying happens even if it cannot be had
                if (terms.sends(EventType.EXIT))
                    events.publishLocked(new ContractEvent.Exit(table.nextEventId(), id,
                            terms.isCritical(EventType.EXIT), m.id, status, cause));
                JfrEvents.exit(id, m.id, status, cause);
            } finally {
                if (last) emptiedLocked(m);
            }
        } finally {
            unlock();
        }
    }

    /**
     * Counts out {@code m}, which has just gone (by its own CAS): without a
     * lock while others stay; the last one takes the lock, so that the count
     * reaches zero only under it, with its EMPTY.
     */
    private void release(Member m) {
        int left = members.leaveIfNotLast();
        if (left != 0) {
            m.state = Member.GONE;
            if (left == 2) members.prune();
            return;
        }
        lock.lock();
        try {
            releaseLocked(1, m);
        } finally {
            unlock();
        }
    }

    /** Counts out {@code k} members that have gone, {@code last} the last of them; under the lock. */
    void releaseLocked(int k, Member last) {
        boolean emptied = members.leave(k) == k;
        if (last.state != Member.GONE) last.state = Member.GONE;        // a LEAVING_* member: counted out now
        if (!emptied) return;
        members.tryPrune();
        emptiedLocked(last);
    }

    /** The live count has just reached zero, under the lock: the one EMPTY of this emptying. */
    private void emptiedLocked(Member last) {
        try {           // the EMPTY event needs memory: waiters are woken and an orphan dies regardless
            JfrEvents.empty(id, last.id);
            kills.emptiedLocked();
            if (terms.sends(EventType.EMPTY))
                events.publishLocked(new ContractEvent.Empty(table.nextEventId(), id,
                        terms.isCritical(EventType.EMPTY), last.id));
        } finally {
            emptied.signalAll();
            if (state == ContractState.ORPHAN) {
                members.setFlag(Membership.DEAD);       // ORPHAN at zero: nothing can have joined since
                succession.destroyLocked();
            }
        }
    }

    // ----------------------------------------------------------------- state and counts (the holder: Succession)

    ContractState state() {
        lock.lock();
        try {
            return state;
        } finally {
            unlock();
        }
    }

    /** Running members and pending tasks, for table statistics. */
    int[] counts() {
        lock.lock();
        try {
            int running = 0, pending = 0;
            for (Member m = members.head(); m != null; m = m.next) {
                int st = m.state;
                if (st == Member.RUNNING || st == Member.LEAVING_RUNNING) running++;
                else if (st == Member.PENDING || st == Member.LEAVING_PENDING) pending++;
            }
            return new int[] {running, pending};
        } finally {
            unlock();
        }
    }

    /** A running member and the thread that runs it, for the post-mortem file. */
    record RunningMember(long id, long parent, boolean task, boolean killed, Thread thread) {
    }

    /** The running members with their threads, in list order; a snapshot taken under the lock. */
    List<RunningMember> runningMembers() {
        lock.lock();
        try {
            List<RunningMember> out = new ArrayList<>();
            for (Member m = members.head(); m != null; m = m.next)
                if (m.state == Member.RUNNING || m.state == Member.LEAVING_RUNNING)
                    out.add(new RunningMember(m.id, m.parent, m.task, m.killed, m.runnerOrThread()));
            return out;
        } finally {
            unlock();
        }
    }

    public int id() {
        return id;
    }

    // ----------------------------------------------------------------- for ThreadDumpView: no lock, may be stale

    boolean setDumpContainer(Object container) {
        return DUMP_CONTAINER.compareAndSet(this, null, container);
    }

    ContractState stateRacy() {
        return state;
    }

    Member holderRacy() {
        return owner;
    }

    ContractImpl regentRacy() {
        return regent;
    }

    @Override
    public String toString() {
        return "contract " + id;
    }
}
