package io.jcontract.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A member of a process contract: the JVM's "process". A thread started
 * through jcontract is a member from its fork until its body returns; a
 * pooled task is one while it runs (and is counted as pending from its
 * hand-off until then). A thread jcontract did not start gets a
 * <em>foreign</em> member of the root contract, which is never linked into
 * the root's member list because its end cannot be seen.
 *
 * <h2>Theory of operation</h2>
 * {@code contract}, {@code id} and {@code parent} never change. The list
 * link {@code next} belongs to {@link Membership} (pusher, then pruner).
 * {@code state} goes PENDING&rarr;RUNNING&rarr;GONE (or PENDING&rarr;GONE) by
 * CAS, so a kill's cancel, a task's start and an exit each win or lose a
 * step without a lock. {@code killed}
 * is written under the contract's lock (or, for a fork that raced a kill,
 * by the forking thread) and read anywhere (it only goes from
 * false to true). {@code runner} is the thread executing the member's body:
 * a volatile field, written only by that thread (bound before the body runs,
 * unbound after it, for a pooled task), read by anybody without a lock.
 *
 * <p>Interrupts take no lock at all: {@code Thread.interrupt()} runs the
 * agent's interrupt hook, which may take a contract lock (see the lock order
 * in {@link io.jcontract.internal the package documentation}). Instead a kill
 * and the unbinding worker meet in {@code handshake}, moved by CAS: a kill
 * moves it FREE&rarr;INTERRUPTING for the length of its
 * {@code runner.interrupt()} call and back to FREE; {@link #unbindRunner}
 * waits out an INTERRUPTING (a spin: the interrupt is short and the killer
 * holds no lock the worker could need) and moves it FREE&rarr;UNBOUND, which
 * is final for a task that ended (only a member that a nested task had
 * unbound is bound again, by its own thread: {@link #bindRunner}). So once a pooled task is unbound no interrupt aimed at it can
 * still be on its way, and the interrupt flag the worker then clears
 * ({@link Lifecycle#endTask}) is the last one: none reaches its next task.
 * A kill that loses the CAS to another kill skips its interrupt: the other
 * one is delivering it. Kill rung 3's re-interrupt waits such an interrupt
 * out instead ({@link #reinterruptIfRunning}): it comes after the member
 * swallowed an interrupt and blocked again.
 *
 * <p>{@code active} belongs to the member's own thread (like an LWP's
 * template). The fields only some members need (holdings, latest contract,
 * open activation, signal sender, how to undo a creating fork) live in a
 * lazily made {@link Rare} part: a member pays one reference for them.
 *
 * <p>This member's monitor guards only {@code state} of the root contract's
 * members (the root takes no contract lock); nothing is called under it.
 */
public final class Member {
    static final int PENDING = 0, RUNNING = 1, GONE = 2;
    /**
     * Leaving, not yet counted out of the contract's control word (a running
     * member's exit, a pending task's cancel): still listed by status, so
     * that a status that shows a contract empty implies its live count is 0.
     */
    static final int LEAVING_RUNNING = 3, LEAVING_PENDING = 4;
    private static final AtomicLong TASK_IDS = new AtomicLong(io.jcontract.ContractEvent.TASK_ID_BASE);

    final long id;
    final ContractImpl contract;
    final long parent;
    final boolean task;
    final boolean foreign;

    /** The next older member in the contract's list ({@link Membership}: written by the pusher, then only by the pruner). */
    volatile Member next;
    /** PENDING, RUNNING or GONE: moved by CAS ({@link #casState}); by this member's monitor in the untracked root contract. */
    volatile int state;

    volatile boolean killed;

    /** Who the member acts as; inherited at fork, only ever lowered by the member's own thread. */
    private volatile io.jcontract.Credential credential;
    /** The member group (PGRPONLY's process group): inherited at fork, or the member's own id. */
    volatile long group;

    /** The thread running the body now; written by that thread only. */
    private volatile Thread runner;
    /** The thread a thread member was forked as; null for tasks. Written before the member is published. */
    private Thread thread;

    // owned by the member's own thread
    Terms active;
    boolean exited;

    /**
     * What only some members need (see {@link Rare}): made on first use, by
     * CAS, so that any thread may make it; never null once set.
     */
    private volatile Rare rare;

    /**
     * The rarely used part of a member, kept out of {@code Member} so that
     * the many members that never create a contract, hold one, open a
     * template or get signalled pay one reference for it.
     *
     * <p>{@code activation} and {@code latest} belong to the member's own
     * thread (like an LWP's template); {@code ownerState} is created by that
     * thread the first time it creates a contract and is then safely
     * published through the contract it created. {@code createdBy} and
     * {@code priorLatest} are written by the forking thread before the child
     * is published. {@code signalSender}/{@code signalSenderContract} are
     * written by the interrupt hook, read by the member's thread when it
     * dies. {@code pendingTransfer} is taken once by CAS.
     */
    static final class Rare {
        /** The innermost open template activation ({@link Templates#activate}), or null. */
        io.jcontract.ContractTemplate.Activation activation;
        ContractImpl latest;
        volatile OwnerState ownerState;
        /** Who last interrupted the member from outside its contract (thread id, contract id), or 0. */
        volatile long signalSender;
        volatile int signalSenderContract;
        /** Set when the fork that made this member also created its contract: how to undo that fork. */
        Member createdBy;
        ContractImpl priorLatest;
        /**
         * The transfer term of the contract this fork created, until the fork
         * can no longer fail ({@link Lifecycle#forkCompleted}), or 0. Taken once,
         * by CAS: the forking thread and the child may both try.
         */
        volatile int pendingTransfer;
        /**
         * For a pooled task run by a worker whose own thread member was
         * forked but never began its body (a {@code Timer} thread): that
         * member, which the task displaced from the thread registry and
         * which the task's end puts back. Written and read by the worker.
         */
        Member displacedStart;
        /**
         * On a thread whose member is a {@link CurrentBinding} (this member),
         * the member it runs as now if another (a pooled task run inline), or
         * null. Written and read by that thread only.
         */
        Member currentOverride;
    }

    /** The rare part, made if needed (any thread). */
    Rare rare() {
        Rare r = rare;
        if (r != null) return r;
        RARE.compareAndSet(this, null, new Rare());
        return rare;
    }

    /** The rare part, or null if nothing rare ever happened to this member. */
    Rare rareOrNull() {
        return rare;
    }

    /**
     * For a pooled task handed out through a Future: cancelled when the
     * contract is killed. Attached after the fork (the Future is made once
     * the member exists), so a kill in between cannot see it: the kill marks
     * {@code killed} then reads {@code future}, the attach writes
     * {@code future} then reads {@code killed} (both volatile), so one of the
     * two cancels it.
     */
    volatile Future<?> future;

    private static final int FREE = 0, INTERRUPTING = 1, UNBOUND = 2;
    private static final VarHandle HANDSHAKE, TRANSFER, RARE, STATE;

    static {
        try {
            HANDSHAKE = MethodHandles.lookup().findVarHandle(Member.class, "handshake", int.class);
            TRANSFER = MethodHandles.lookup().findVarHandle(Rare.class, "pendingTransfer", int.class);
            RARE = MethodHandles.lookup().findVarHandle(Member.class, "rare", Rare.class);
            STATE = MethodHandles.lookup().findVarHandle(Member.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** FREE, INTERRUPTING (a kill is interrupting the runner now) or UNBOUND (final): see the class comment. */
    private volatile int handshake;

    private Member(long id, ContractImpl contract, long parent, boolean task, boolean foreign) {
        this.id = id;
        this.contract = contract;
        this.parent = parent;
        this.task = task;
        this.foreign = foreign;
    }

    static Member forThread(Thread t, ContractImpl contract, Member parent) {
        Member m = new Member(t.threadId(), contract, parent.id, false, false);
        m.thread = t;
        m.state = RUNNING;
        m.inheritFrom(parent);
        return m;
    }

    static Member forTask(ContractImpl contract, Member parent) {
        Member m = new Member(TASK_IDS.getAndIncrement(), contract, parent.id, true, false);
        m.state = PENDING;
        m.inheritFrom(parent);
        return m;
    }

    /**
     * A worker of a pool owned by {@code contract} ({@link Ownership#forkWorker}):
     * forked as if by the pool's creator, whose id, credential and group it takes.
     */
    static Member forWorker(Thread t, ContractImpl contract, long parent, io.jcontract.Credential credential,
                            long group) {
        Member m = new Member(t.threadId(), contract, parent, false, false);
        m.thread = t;
        m.state = RUNNING;
        m.credential = credential;
        m.group = group;
        return m;
    }

    private void inheritFrom(Member parent) {
        credential = parent.credential;
        group = parent.group;
    }

    static Member foreign(Thread t, ContractImpl root) {
        Member m = new Member(t.threadId(), root, 0, false, true);
        m.credential = io.jcontract.Credential.system();
        m.group = m.id;
        m.thread = t;
        m.runner = t;
        m.state = RUNNING;
        return m;
    }

    public long id() {
        return id;
    }

    /** Moves {@code state} from {@code from} to {@code to}; false if it was not {@code from}. */
    boolean casState(int from, int to) {
        return STATE.compareAndSet(this, from, to);
    }

    public ContractImpl contract() {
        return contract;
    }

    /** A pending task's Future, cancelled if the contract is killed before the task starts. */
    public void setFuture(Future<?> f) {
        attachFuture(f);
    }

    /** Attaches the task's Future, and cancels it if a kill came first (see {@link #future}). */
    void attachFuture(Future<?> f) {
        future = f;
        if (killed) f.cancel(false);
    }

    void setPendingTransfer(int contractId) {
        rare().pendingTransfer = contractId;
    }

    /** The pending transfer term, taken (only one caller gets it), or 0. */
    int takePendingTransfer() {
        Rare r = rare;
        return r == null || r.pendingTransfer == 0 ? 0 : (int) TRANSFER.getAndSet(r, 0);
    }

    /** Records that the fork that made this member created its contract (undone by {@link Lifecycle#forkFailed}). */
    void createdBy(Member creator, ContractImpl creatorsPriorLatest) {
        Rare r = rare();
        r.createdBy = creator;
        r.priorLatest = creatorsPriorLatest;
    }

    /** The member whose fork created this member's contract, or null. */
    Member createdBy() {
        Rare r = rare;
        return r == null ? null : r.createdBy;
    }

    /** The creator's latest contract before the fork that made this member (see {@link #createdBy()}). */
    ContractImpl priorLatest() {
        Rare r = rare;
        return r == null ? null : r.priorLatest;
    }

    /** The last contract this member created (own thread), or null. */
    ContractImpl latest() {
        Rare r = rare;
        return r == null ? null : r.latest;
    }

    void latest(ContractImpl c) {
        if (c == null && rare == null) return;
        rare().latest = c;
    }

    /** The innermost open template activation (own thread), or null. */
    io.jcontract.ContractTemplate.Activation activation() {
        Rare r = rare;
        return r == null ? null : r.activation;
    }

    void activation(io.jcontract.ContractTemplate.Activation a) {
        if (a == null && rare == null) return;
        rare().activation = a;
    }

    /** Who last interrupted the member from outside its contract (thread id), or 0. */
    long signalSender() {
        Rare r = rare;
        return r == null ? 0 : r.signalSender;
    }

    /** The sender's contract id (see {@link #signalSender()}), or 0. */
    int signalSenderContract() {
        Rare r = rare;
        return r == null ? 0 : r.signalSenderContract;
    }

    public boolean isKilled() {
        return killed;
    }

    /**
     * The running thread takes the member's body, or takes it back after a
     * task nested in it ({@link Lifecycle#beginTask} unbound it): the
     * handshake goes UNBOUND&rarr;FREE again, so later kills interrupt it. The
     * caller then checks {@code killed} itself (a kill that found the member
     * unbound sent nothing); the volatile writes here and the kill's write of
     * {@code killed} ensure that one of the two sends the interrupt.
     *
     * <p>Only UNBOUND is moved, by CAS, never a plain write: at a first bind
     * the handshake may be INTERRUPTING, because fork and start take no lock
     * and a kill's walk can find the member RUNNING before it is bound. That
     * kill may already have read the runner written here; erasing its claim
     * would let {@link #unbindRunner} return while its interrupt is still on
     * the way to this thread's next task.
     */
    void bindRunner(Thread t) {
        runner = t;
        // a first bind finds FREE or a kill's INTERRUPTING: a read, no CAS, on every task's start;
        // UNBOUND is final for kills, so only this thread can be moving it
        if (handshake == UNBOUND) HANDSHAKE.compareAndSet(this, UNBOUND, FREE);
    }

    /**
     * The body is over: no interrupt aimed at this member is on its way to
     * the calling thread once this returns, and none will be sent.
     */
    void unbindRunner() {
        for (int spins = 0; !HANDSHAKE.compareAndSet(this, FREE, UNBOUND); spins++) {
            if ((int) HANDSHAKE.getVolatile(this) == UNBOUND) break;
            if (spins < 64) Thread.onSpinWait();
            else Thread.yield();
        }
        runner = null;
    }

    void signalledBy(long sender, int senderContract) {
        Rare r = rare();
        r.signalSenderContract = senderContract;
        r.signalSender = sender;
    }

    /**
     * Interrupts the member's body if, and only if, it is running now. Call
     * with no lock held: the interrupt runs the agent's hook.
     */
    void interruptIfRunning() {
        if (!killed || !HANDSHAKE.compareAndSet(this, FREE, INTERRUPTING)) return;
        try {
            Thread r = runner;
            if (r != null) r.interrupt();
        } finally {
            handshake = FREE;
        }
    }

    /**
     * Kill rung 3's re-interrupt: as {@link #interruptIfRunning}, but an
     * interrupt already in flight (INTERRUPTING) is waited out, not taken as
     * doing the job: that one may have been delivered and swallowed before
     * the member blocked again, and this is the interrupt meant to end that
     * block. A task that ended (UNBOUND) is left alone, as ever.
     */
    void reinterruptIfRunning() {
        if (!killed) return;
        for (int spins = 0; !HANDSHAKE.compareAndSet(this, FREE, INTERRUPTING); spins++) {
            if ((int) HANDSHAKE.getVolatile(this) == UNBOUND) return;
            if (spins < 64) Thread.onSpinWait();
            else Thread.yield();
        }
        try {
            Thread r = runner;
            if (r != null) r.interrupt();
        } finally {
            handshake = FREE;
        }
    }

    /** Whether this is the member forked for thread {@code t} (not a task). */
    boolean isThreadOf(Thread t) {
        return thread == t;
    }

    /** Whether this is the member forked for {@code t} and {@code t} has not begun its body yet. */
    public boolean awaitsStartOn(Thread t) {
        return thread == t && runner == null;
    }

    /** The thread running the member, else the thread it was forked as (null for a task not running). */
    Thread runnerOrThread() {
        Thread r = runner;
        return r != null ? r : thread;
    }

    public io.jcontract.Credential credential() {
        return credential;
    }

    /** Only through {@link Credentials#assume}, which checks it is a drop. */
    void setCredential(io.jcontract.Credential c) {
        credential = c;
    }

    /** Starts a new member group led by this member (like {@code setpgid(0, 0)}). */
    public void newGroup() {
        group = id;
    }

    public long group() {
        return group;
    }

    /** Clears the active template (only on the member's own thread). */
    public void clearActive() {
        active = null;
    }

    public boolean hasActive() {
        return active != null;
    }

    /** The member's holdings, created on first use by the member's own thread. */
    OwnerState ownerState() {
        Rare r = rare();
        OwnerState o = r.ownerState;
        if (o == null) r.ownerState = o = new OwnerState(this);
        return o;
    }

    /** The member's holdings, or null if it never held a contract. */
    OwnerState ownerStateOrNull() {
        Rare r = rare;
        return r == null ? null : r.ownerState;
    }

    @Override
    public String toString() {
        return (task ? "task " : "thread ") + id;
    }
}
