package io.jcontract.internal;

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
 * links and {@code state} are guarded by the contract's lock. {@code killed}
 * is written under the contract's lock and read anywhere (it only goes from
 * false to true). {@code runner} is the thread executing the member's body;
 * it is written and read under this member's monitor, and a kill interrupts
 * it only while holding that monitor, so once a pooled task has cleared its
 * runner no interrupt aimed at it can reach the worker's next task.
 *
 * <p>{@code active} and {@code latest} belong to the member's own thread
 * (like an LWP's template); {@code owner} is created by that thread the
 * first time it creates a contract and is then safely published through the
 * contract it created.
 *
 * <p>Lock order: contract lock, then member monitor.
 */
public final class Member {
    static final int PENDING = 0, RUNNING = 1, GONE = 2;
    private static final AtomicLong TASK_IDS = new AtomicLong(io.jcontract.ContractEvent.TASK_ID_BASE);

    final long id;
    final ContractImpl contract;
    final long parent;
    final boolean task;
    final boolean foreign;

    // guarded by contract.lock (by this member's monitor in the untracked root contract)
    Member prev, next;
    int state;

    volatile boolean killed;

    /** Who the member acts as; inherited at fork, only ever lowered by the member's own thread. */
    private volatile io.jcontract.Credential credential;
    /** The member group (PGRPONLY's process group): inherited at fork, or the member's own id. */
    volatile long group;

    // guarded by this
    private Thread runner;
    private Thread thread; // the thread a thread member was forked as; null for tasks

    // owned by the member's own thread
    Terms active;
    boolean exited;
    ContractImpl latest;

    private volatile OwnerState ownerState;

    /** Who last interrupted the member from outside its contract (thread id, contract id), or 0. */
    volatile long signalSender;
    volatile int signalSenderContract;

    /** Set when the fork that made this member also created its contract: how to undo that fork. */
    Member createdBy;
    ContractImpl priorLatest;

    /** For a pooled task handed out through a Future: cancelled when the contract is killed. */
    Future<?> future;

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
        synchronized (m) {
            m.thread = t;
            m.runner = t;
        }
        m.state = RUNNING;
        return m;
    }

    public long id() {
        return id;
    }

    public ContractImpl contract() {
        return contract;
    }

    /** A pending task's Future, cancelled if the contract is killed before the task starts. */
    public void setFuture(Future<?> f) {
        future = f;
    }

    public boolean isKilled() {
        return killed;
    }

    /** The running thread takes the member's body; false if it was killed before it could run. */
    synchronized void bindRunner(Thread t) {
        runner = t;
    }

    synchronized void unbindRunner() {
        runner = null;
    }

    void signalledBy(long sender, int senderContract) {
        signalSenderContract = senderContract;
        signalSender = sender;
    }

    /** Interrupts the member's body if, and only if, it is running now. */
    synchronized void interruptIfRunning() {
        if (runner != null && killed) runner.interrupt();
    }

    synchronized Thread runnerOrThread() {
        return runner != null ? runner : thread;
    }

    public io.jcontract.Credential credential() {
        return credential;
    }

    /** Only through {@link io.jcontract.Credential#assume()}, which checks it is a drop. */
    public void setCredential(io.jcontract.Credential c) {
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
        OwnerState o = ownerState;
        if (o == null) ownerState = o = new OwnerState(this);
        return o;
    }

    /** The member's holdings, or null if it never held a contract. */
    OwnerState ownerStateOrNull() {
        return ownerState;
    }

    @Override
    public String toString() {
        return (task ? "task " : "thread ") + id;
    }
}
