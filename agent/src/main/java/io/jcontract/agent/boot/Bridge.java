package io.jcontract.agent.boot;

import io.jcontract.ContractKilledException;
import io.jcontract.internal.ContractTable;
import io.jcontract.internal.InfrastructureRegistry;
import io.jcontract.internal.Lifecycle;
import io.jcontract.internal.Member;
import io.jcontract.internal.Ownership;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.TimerTask;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.Future;
import java.util.concurrent.RunnableScheduledFuture;

/**
 * What the agent's hooks call (through {@link Hooks}). The hooks are woven into JDK classes
 * ({@code java.lang.Thread}, {@code java.util.concurrent.*}, {@code java.util.Timer}),
 * so this class, the core and JCTools are loaded once, where the woven code reaches them: by the
 * application class loader behind the lookup bridge's facade in {@code java.base} (the default),
 * or from the bootstrap class path ({@code loader=boot}). One copy of the contract table either way.
 *
 * <h2>Theory of operation</h2>
 * <b>Threads.</b> A start is a fork on the starting thread ({@link #threadStarting}):
 * the child's member is entered in the kernel's thread registry at once
 * ({@code Lifecycle.threadStartPending}: the map the interrupt and blocking
 * hooks read anyway), and the child, when it runs ({@link #threadRunning},
 * from the hook on every {@code Thread.run()} and on
 * {@code VirtualThread.run(Runnable)}), finds it there, not begun yet
 * ({@code Member.awaitsStartOn}), and binds it: one map entry per thread. The
 * thread's end is {@code Thread.dispatchUncaughtException} (with the throwable)
 * or {@code Thread.exit()} / the end of {@code VirtualThread.run}, whichever
 * comes first. Pool workers (threads started inside a pool's own worker
 * creation, {@code ForkJoinWorkerThread}s, the {@code Timer} thread) and
 * JDK-internal threads are never forked; nor is any thread {@link JdkInfrastructure}'s table or a
 * library's {@code io.jcontract.Infrastructure} declaration names, nor a thread started or a task
 * handed off while inside one of the table's JDK methods (the virtual-thread sub-pollers, the
 * process reaper's tasks, shutdown hooks, RMI's timers).
 *
 * <p><b>Tasks.</b> A hand-off to a pool forks a pending task member, kept by task
 * identity in {@link #TASKS} (several entries if one Runnable is queued several
 * times, taken oldest first). The pool's worker takes it when it runs the task ({@link #runPooled},
 * substituted for the {@code run()} call in the pool's worker loop, or
 * {@link #fjBegin}/{@link #fjEnd} around {@code ForkJoinTask.doExec}). Every
 * other way out of a queue (rejection, {@code shutdownNow}, {@code remove},
 * cancellation of the task's Future) settles the pending member. Tasks are never
 * wrapped: pools, {@code afterExecute} and {@code shutdownNow} see the caller's
 * objects.
 *
 * <p>Kill rung 3 (a killed member blocking again) is {@link Reinterrupts}: a doubling back-off.
 *
 * <p>No hook here parks or takes a lock on a virtual-thread scheduling path:
 * the scheduler's own tasks are recognised before any map is touched, and maps
 * are read with {@code get} before any locking update. The kernel calls made
 * here may take a contract lock, never while the kernel itself holds one (the
 * lock order is stated in the {@code io.jcontract.internal} package documentation).
 */
public final class Bridge {
    private static final ContractTable T = ContractTable.TABLE;

    /** Which paths are on; set once by the installer before any hook is live. */
    public static volatile boolean threads = true, tasks = true, completableFuture = true, blocking = true,
            interrupts = true, verbose;

    private static final ConcurrentHashMap<Thread, Boolean> EXPLICIT = new ConcurrentHashMap<>();
    /** Threads inside a pool's own worker creation, and the pool (Boolean.TRUE where it is not known). */
    private static final ConcurrentHashMap<Thread, Object> CREATING_WORKER = new ConcurrentHashMap<>();
    private static final ConcurrentHashMap<Key, Pend> TASKS = new ConcurrentHashMap<>();
    /** The pooled task each worker is running now (innermost; {@link Running#outer} is the one it interrupted). */
    private static final ConcurrentHashMap<Thread, Running> RUNNING = new ConcurrentHashMap<>();
    private static final Class<?> RUNNABLE_EXECUTE_ACTION = classOrNull("java.util.concurrent.ForkJoinTask$RunnableExecuteAction");
    private static volatile ForkJoinPool vtScheduler;

    private Bridge() {
    }

    private static Class<?> classOrNull(String name) {
        try {
            return Class.forName(name, false, null);
        } catch (ClassNotFoundException e) {
            return null;
        }
    }

    /** Loads everything the hooks need, so that no hook loads a class from inside the JDK's own paths. */
    public static void preload() {
        T.enableThreadRegistry();
        T.current();
        new Key(new Object()).hashCode();
        new Pend(null, false, null);
        new Running(null, null, null, null);
        RUNNING.get(Thread.currentThread());
        new Pop();
        new Push(null, false).apply(null, null);
        TASKS.computeIfPresent(new Key(Bridge.class), new Pop());
        new Pop().apply(null, new Pend(null, false, new Pend(null, false, null)));
        new PopNewest().apply(null, new Pend(null, false, null));
        TASKS.computeIfPresent(new Key(Bridge.class), new PopNewest());
        ALIASES.get(new Key(Bridge.class));
        LAST_MADE.remove(Thread.currentThread());
        forgetAlias(Bridge.class);
        TASKS.get(new Key(Bridge.class));
        Ownership.preload();
        InfrastructureRegistry.setJdkRule(new JdkInfrastructure.AsPredicate());
        InfrastructureRegistry.preload();
        Reinterrupts.forget(Thread.currentThread());
        new Reinterrupts.State(null, 0).dueAt(0);
    }

    static void log(String s) {
        if (verbose) System.err.println("[jcontract-agent] " + s);
    }

    // ================================================================ threads

    /** {@code Thread.start} is about to start {@code t}: fork it (may throw ContractKilledException). */
    public static void threadStarting(Thread t) {
        if (!threads || EXPLICIT.containsKey(t) || pendingStart(t) != null) return;
        if (InfrastructureRegistry.inside() || InfrastructureRegistry.isInfrastructure(t)) return;
        if (t instanceof ForkJoinWorkerThread w) {
            ownedWorker(t, w.getPool());
            return;
        }
        if (isTimerThread(t)) {
            // started by the Timer's constructor, on the creator's thread: a worker of a pool being created
            if (t.getState() == Thread.State.NEW && Ownership.timerThreadOfAMember(t))
                Lifecycle.threadStartPending(t, Lifecycle.forkStartingThread(t));
            return;
        }
        if (isSystemThread(t)) return;
        if (!CREATING_WORKER.isEmpty()) {
            Object pool = CREATING_WORKER.get(Thread.currentThread());
            if (pool != null) {
                ownedWorker(t, pool);
                return;
            }
        }
        if (t.getState() != Thread.State.NEW) return;
        Lifecycle.threadStartPending(t, Lifecycle.forkStartingThread(t));
    }

    /** A worker of {@code pool} is starting: a member of the pool's contract if a member created the pool. */
    private static void ownedWorker(Thread t, Object pool) {
        if (pool == null || t.getState() != Thread.State.NEW) return;
        Member m = Ownership.forkWorker(t, pool);
        if (m != null) Lifecycle.threadStartPending(t, m);
    }

    private static boolean isTimerThread(Thread t) {
        return t.getClass().getName().equals("java.util.TimerThread");
    }

    /** A hooked constructor returned: a member's pool, channel, socket or lifecycle object is its contract's. */
    public static void created(Object o) {
        if (!threads) return;
        Ownership.created(o);
    }

    /** Around a {@code ThreadPoolExecutor}'s worker creation: the threads it starts are {@code pool}'s workers. */
    public static void workerCreationOf(Object pool, boolean entering) {
        if (entering) CREATING_WORKER.put(Thread.currentThread(), pool);
        else CREATING_WORKER.remove(Thread.currentThread());
    }

    /** {@code Thread.start} returned or threw. */
    public static void threadStarted(Thread t, Throwable failure) {
        EXPLICIT.remove(t);
        if (failure == null) return;
        Member m = pendingStart(t);
        if (m != null) Lifecycle.threadStartFailed(t, m, failure);
    }

    private static boolean isSystemThread(Thread t) {
        String c = t.getClass().getName();
        return c.equals("java.util.TimerThread") || c.equals("jdk.internal.misc.InnocuousThread")
                || c.equals("java.util.concurrent.DelayScheduler") || t.getName().startsWith("jcontract-owner-watch-")
                || t.getName().startsWith(io.jcontract.internal.KillReaper.THREAD_PREFIX);   // rung 4 acts for the JVM
    }

    /** The member forked for {@code t} by a start hook, if {@code t} has not begun its body yet. */
    private static Member pendingStart(Thread t) {
        Member m = T.memberOf(t);
        return m != null && m.awaitsStartOn(t) ? m : null;
    }

    /** The explicit API ({@code ContractThreads}) forked {@code t} itself. */
    public static void explicitFork(Thread t) {
        if (t != null) EXPLICIT.put(t, Boolean.TRUE);
    }

    /**
     * The thread's body is about to run (first {@code run()} on the thread itself).
     *
     * @return true to skip the body: the member was killed before it could run
     */
    public static boolean threadRunning(Thread t) {
        if (Thread.currentThread() != t) return false;
        Member m = pendingStart(t);
        if (m == null) return false;
        return !Lifecycle.beginThread(m);
    }

    /** {@code t} dies of {@code failure}, which goes to its uncaught exception handler next. */
    public static void threadDying(Thread t, Throwable failure) {
        if (Thread.currentThread() != t) return;
        end(t, failure);
    }

    /** {@code t} ends ({@code Thread.exit} or the end of {@code VirtualThread.run}). */
    public static void threadExiting(Thread t) {
        if (Thread.currentThread() != t) return;
        end(t, null);
        // After the exit, not before: a killed member's exit may park (the contract's lock), and
        // that park would put a back-off state (holding the thread and the member) back for good.
        Reinterrupts.forget(t);
    }

    private static void end(Thread t, Throwable failure) {
        Member m = T.memberOf(t);
        if (m != null && m.id() == t.threadId()) Lifecycle.endThread(m, failure);
    }

    /** {@code Thread.interrupt} of {@code target} by the calling thread. */
    public static void interrupting(Thread target) {
        if (!interrupts) return;
        Thread me = Thread.currentThread();
        if (target == me || Reinterrupts.isReinterrupter(me)) return;
        Member m = T.memberOf(target);
        if (m != null) Lifecycle.interrupted(m, me);
    }

    /**
     * Kill rung 3: a killed member that cleared its interrupt is interrupted again when it blocks,
     * at most once per growing interval ({@link Reinterrupts}), so a loop that swallows it cannot spin.
     */
    public static void blocking() {
        if (InfrastructureRegistry.inside()) return;
        Thread me = Thread.currentThread();
        Member m = T.memberOf(me);
        if (m != null && m.isKilled() && !me.isInterrupted()) Reinterrupts.blocking(me, m);
    }

    /** As {@link #blocking}, for {@code LockSupport.park*} (uninterruptible waits loop on park: the same back-off). */
    public static void parking() {
        if (InfrastructureRegistry.inside()) return;
        Thread me = Thread.currentThread();
        Member m = T.memberOf(me);
        if (m != null && m.isKilled() && !me.isInterrupted()) Reinterrupts.blocking(me, m);
    }

    /**
     * Around a JDK method of {@link JdkInfrastructure}'s INSIDE rule: the threads it starts and the
     * tasks it hands to pools serve the whole JVM and are not forks; rung 3 leaves it alone.
     */
    public static void infrastructure(boolean entering) {
        if (entering) InfrastructureRegistry.enter();
        else InfrastructureRegistry.leave();
    }

    /** Around a pool's own worker creation: the threads it starts are workers, not forks. */
    public static void workerCreation(boolean entering) {
        if (entering) CREATING_WORKER.put(Thread.currentThread(), Boolean.TRUE);
        else CREATING_WORKER.remove(Thread.currentThread());
    }

    // ================================================================ tasks

    /** A task is handed to a pool: fork a pending member for it. */
    public static void handoff(Object task, boolean periodic) {
        if (!tasks || task == null || InfrastructureRegistry.inside()) return;
        String cn = task.getClass().getName();
        if (isExplicit(cn) || isExplicit(adaptedRunnable(task))) return;   // explicit API: already forked
        if (!completableFuture && task instanceof CompletableFuture.AsynchronousCompletionTask) return;
        Member m = Lifecycle.forkTask();
        if (task instanceof Future<?> f) m.setFuture(f);
        TASKS.compute(new Key(task), new Push(m, periodic));
    }

    private static boolean isExplicit(Object taskOrClassName) {
        String cn = taskOrClassName instanceof String s ? s
                : taskOrClassName == null ? "" : taskOrClassName.getClass().getName();
        return cn.startsWith("io.jcontract.internal.ContractExecutorService$");
    }

    /**
     * The Runnable a ForkJoinPool wrapped in its own adapter task ({@code execute(Runnable)},
     * {@code submit(Runnable)}), or null: a task of the explicit API reaches the pool's hand-off
     * hook inside such an adapter, and must not be forked a second time.
     */
    private static Object adaptedRunnable(Object task) {
        VarHandle[] h = fjAdapterFields;
        if (h == null || !(task instanceof ForkJoinTask<?>)) return null;
        Class<?> c = task.getClass();
        if (c == RUNNABLE_EXECUTE_ACTION) return h[0].get(task);
        if (c == ADAPTED_RUNNABLE_ACTION) return h[1].get(task);
        return null;
    }

    /** The task {@link #openForkJoinAdapters} adapts to read one adapter's field; never run (a class: no lambda at start-up). */
    private static final class Probe implements Runnable {
        @Override
        public void run() {
        }
    }

    private static final Class<?> ADAPTED_RUNNABLE_ACTION = classOrNull("java.util.concurrent.ForkJoinTask$AdaptedRunnableAction");
    /** The {@code runnable} fields of the two adapters; null until {@link #openForkJoinAdapters} succeeded. */
    private static volatile VarHandle[] fjAdapterFields;

    /**
     * Called by the installer once {@code java.util.concurrent} is open to this class's module:
     * finds the adapters' fields (never from inside a hook, where it would load classes).
     * A JDK whose adapters differ just leaves explicit tasks on such pools forked twice.
     */
    public static void openForkJoinAdapters() {
        try {
            VarHandle[] h = new VarHandle[2];
            h[0] = MethodHandles.privateLookupIn(RUNNABLE_EXECUTE_ACTION, MethodHandles.lookup())
                    .findVarHandle(RUNNABLE_EXECUTE_ACTION, "runnable", Runnable.class);
            h[1] = MethodHandles.privateLookupIn(ADAPTED_RUNNABLE_ACTION, MethodHandles.lookup())
                    .findVarHandle(ADAPTED_RUNNABLE_ACTION, "runnable", Runnable.class);
            Object probe = ForkJoinTask.adapt(new Probe());      // links the access path now, not in a hook
            if (probe.getClass() == ADAPTED_RUNNABLE_ACTION) h[1].get(probe);
            fjAdapterFields = h;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            log("ForkJoinPool adapters not readable: " + e);
        }
    }

    /** {@code ScheduledThreadPoolExecutor.delayedExecute}. */
    public static void scheduled(RunnableScheduledFuture<?> task) {
        Object made = LAST_MADE.isEmpty() ? null : LAST_MADE.remove(Thread.currentThread());
        if (made != null && made != task && !(task instanceof java.util.concurrent.FutureTask<?>)) decorated(task, made);
        handoff(task, task != null && task.isPeriodic());
    }

    /** {@code ForkJoinPool.poolSubmit/externalSubmit}; {@code pool} null for {@code ForkJoinTask.fork}. */
    public static void fjHandoff(ForkJoinPool pool, ForkJoinTask<?> task) {
        if (!tasks || task == null) return;
        if (pool == null) {
            Thread t = Thread.currentThread();
            pool = t instanceof ForkJoinWorkerThread w ? w.getPool() : ForkJoinPool.commonPool();
        }
        if (isVtScheduler(pool)) return;
        handoff(task, false);
    }

    private static boolean isVtScheduler(ForkJoinPool p) {
        ForkJoinPool s = vtScheduler;
        if (s != null) return s == p;
        if (p == null) return false;
        if (p.getFactory().getClass().getName().startsWith("java.lang.VirtualThread")) {
            vtScheduler = p;
            return true;
        }
        return false;
    }

    /** The pool rejected the task, or will never run it: settle its pending member. */
    public static void discard(Object task, Throwable failure) {
        if (task == null || TASKS.isEmpty()) return;
        Pend p = takeNewest(task);      // the hand-off that just failed is the newest entry
        if (p != null) Lifecycle.forkFailed(p.member, failure != null ? failure : new IllegalStateException("discarded"));
    }

    /** Every pending member of {@code task} is settled (its Future was cancelled, its Timer cleared). */
    public static void discardAll(Object task) {
        if (task == null) return;
        if (!ALIASES.isEmpty()) {
            Object other = ALIASES.remove(new Key(task));
            if (other != null) {
                ALIASES.remove(new Key(other));
                discardAll(other);
            }
        }
        if (TASKS.isEmpty()) return;
        for (Pend p; (p = take(task)) != null; ) Lifecycle.cancelPending(p.member);
    }

    /**
     * A {@code decorateTask} wrapper and the task it wraps, in both directions: the pool queues and
     * runs the wrapper, while cancellation may reach only the inner task (a delegating wrapper's
     * {@code cancel}); either one settles the wrapper's pending member. Forgotten when settled or run.
     */
    private static final ConcurrentHashMap<Key, Object> ALIASES = new ConcurrentHashMap<>();

    private static void decorated(Object wrapper, Object task) {
        if (wrapper == null || task == null || wrapper == task || !tasks) return;
        ALIASES.put(new Key(task), wrapper);
        ALIASES.put(new Key(wrapper), task);
    }

    /** Per thread: the {@code ScheduledFutureTask} it made last, until it schedules (or it is replaced). */
    private static final ConcurrentHashMap<Thread, Object> LAST_MADE = new ConcurrentHashMap<>();

    public static void scheduledTaskMade(Object task) {
        if (tasks && task != null) LAST_MADE.put(Thread.currentThread(), task);
    }

    private static void forgetAlias(Object task) {
        if (ALIASES.isEmpty()) return;
        Object other = ALIASES.remove(new Key(task));
        if (other != null) ALIASES.remove(new Key(other));
    }

    /** Substituted for {@code c.add(task)} in {@code ForkJoinPool.drainTasksTo}: the task leaves the pool. */
    public static boolean drainedTo(java.util.Collection<Object> c, Object task) {
        boolean added = c.add(task);
        try {
            discardAll(task);
        } catch (Throwable x) {
            log("drainTasksTo: " + x);
        }
        return added;
    }

    /** {@code DiscardOldestPolicy}: the queue's head is dropped and will never run. */
    public static Object pollDiscarded(java.util.Queue<?> queue) {
        Object oldest = queue.poll();
        if (oldest != null && !TASKS.isEmpty()) {
            Pend p = take(oldest);
            if (p != null) Lifecycle.cancelPending(p.member);
        }
        return oldest;
    }

    public static void discardList(java.util.List<Runnable> never) {
        if (never == null || TASKS.isEmpty()) return;
        for (Runnable r : never) discardAll(r);
    }

    public static void timerCleared(TimerTask[] queue, int size) {
        if (queue == null || TASKS.isEmpty()) return;
        for (int i = 1; i <= size && i < queue.length; i++) discardAll(queue[i]);
    }

    private static Pend take(Object task) {
        Key k = new Key(task);
        if (TASKS.get(k) == null) return null;
        Pop pop = new Pop();
        TASKS.computeIfPresent(k, pop);
        return pop.head;
    }

    private static Pend takeNewest(Object task) {
        Key k = new Key(task);
        if (TASKS.get(k) == null) return null;
        PopNewest pop = new PopNewest();
        TASKS.computeIfPresent(k, pop);
        return pop.head;
    }

    /** Replaces {@code task.run()} in a pool's worker loop. */
    public static void runPooled(Runnable task) {
        Pend p = TASKS.isEmpty() ? null : take(task);
        if (p == null) {
            task.run();
            return;
        }
        Member m = p.member;
        Member previous = Lifecycle.beginTask(m);
        if (previous == null) {            // killed or cancelled while queued
            cancel(task);
            return;
        }
        Thread me = Thread.currentThread();
        Running r = new Running(m, previous, task, RUNNING.get(me));
        RUNNING.put(me, r);
        Throwable uncaught = null, captured = null;
        try {
            if (p.periodic && !forkNextRun(task)) return;
            task.run();
            captured = r.cfThrown != null ? r.cfThrown : capturedBy(task);
            if (p.periodic && task instanceof Future<?> f && f.isDone()) discardAll(task);
            if (!p.periodic || (task instanceof Future<?> f && f.isDone())) forgetAlias(task);
        } catch (Throwable t) {
            uncaught = t;
        } finally {
            leave(me, r);
            Lifecycle.endTask(m, previous, uncaught, captured);
        }
        if (uncaught != null) Bridge.<RuntimeException>sneaky(uncaught);
    }

    private static void leave(Thread me, Running r) {
        if (r.outer != null) RUNNING.put(me, r.outer);
        else RUNNING.remove(me);
    }

    /**
     * {@code FutureTask.set/setException} on {@code f}: if {@code f} is the pooled task the
     * calling worker runs, the task leaves its contract now, before the Future wakes anybody.
     */
    public static void futureCompleting(Object f, Throwable failure) {
        if (RUNNING.isEmpty()) return;
        Running r = RUNNING.get(Thread.currentThread());
        if (r == null || r.task != f || ((Future<?>) f).isDone()) return;
        Lifecycle.taskCompleting(r.member, r.previous, failure);   // done() callbacks run as the worker
    }

    /**
     * A CompletableFuture async stage ({@code AsyncSupply}, {@code AsyncRun}, or a completion run
     * in ASYNC mode) starts running on the calling worker: {@code dep} is the future it completes.
     */
    public static void cfStageRunning(Object stage, Object dep) {
        if (RUNNING.isEmpty() || dep == null) return;
        Running r = RUNNING.get(Thread.currentThread());
        if (r != null && r.task == stage && r.cfDep == null) r.cfDep = dep;
    }

    /**
     * {@code CompletableFuture.completeThrowable(x)}: the function of a stage threw {@code x}.
     * If that stage is the task the calling worker runs, its member exits with {@code x}
     * (status 1, no CORE: the future keeps the throwable).
     */
    public static void cfThrew(Object future, Throwable x) {
        if (RUNNING.isEmpty() || x == null) return;
        Running r = RUNNING.get(Thread.currentThread());
        if (r != null && r.cfDep == future && r.cfThrown == null) r.cfThrown = x;
    }

    /** A {@code TimerTask} run by the Timer thread. */
    public static void runTimerTask(TimerTask task) {
        runPooled(task);
    }

    /** A periodic task's next run is pending from now on, forked by this run's member. */
    private static boolean forkNextRun(Object task) {
        Member next;
        try {
            next = Lifecycle.forkTask();
        } catch (ContractKilledException e) {
            cancel(task);
            return false;
        }
        if (task instanceof Future<?> f) next.setFuture(f);
        TASKS.compute(new Key(task), new Push(next, true));
        return true;
    }

    private static void cancel(Object task) {
        if (task instanceof Future<?> f) f.cancel(false);
        else if (task instanceof TimerTask tt) tt.cancel();
    }

    private static Throwable capturedBy(Object task) {
        if (task instanceof Future<?> f && f.isDone()) {
            try {
                if (f.state() == Future.State.FAILED) return f.exceptionNow();
            } catch (RuntimeException ignored) {
                // a Future that does not implement state(): nothing known
            }
        }
        return null;
    }

    /**
     * Before {@code ForkJoinTask.doExec}: if {@code task} is a pending member, it becomes the
     * calling worker's innermost running task ({@link #RUNNING}), which is how {@link #fjEnd}
     * finds it again (the woven bytecode keeps no state between the two calls).
     */
    public static void fjBegin(ForkJoinTask<?> task) {
        if (TASKS.isEmpty()) return;
        Pend p = take(task);
        if (p == null) return;
        if (task.isDone()) {
            Lifecycle.cancelPending(p.member);
            return;
        }
        Member previous = Lifecycle.beginTask(p.member);
        if (previous == null) {
            task.cancel(false);
            return;
        }
        Thread me = Thread.currentThread();
        RUNNING.put(me, new Running(p.member, previous, task, RUNNING.get(me)));
    }

    /** After {@code ForkJoinTask.doExec}: ends the member {@link #fjBegin} began, if it began one. */
    public static void fjEnd(ForkJoinTask<?> task) {
        if (RUNNING.isEmpty()) return;
        Thread me = Thread.currentThread();
        Running r = RUNNING.get(me);
        if (r == null || r.task != task) return;
        leave(me, r);
        Throwable uncaught = null, captured = r.cfThrown;
        if (captured == null && task.isCompletedAbnormally()) {
            Throwable ex = task.getException();
            // execute(Runnable) hands the throwable to the worker's handler: nobody keeps it
            if (task.getClass() == RUNNABLE_EXECUTE_ACTION) uncaught = ex;
            else captured = ex;
        }
        Lifecycle.endTask(r.member, r.previous, uncaught, captured);
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> void sneaky(Throwable t) throws E {
        throw (E) t;
    }

    private static final class Key {
        final Object o;
        final int h;

        Key(Object o) {
            this.o = o;
            this.h = System.identityHashCode(o);
        }

        @Override
        public int hashCode() {
            return h;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key k && k.o == o;
        }
    }

    // Plain classes, no lambdas or records: nothing here may need an invokedynamic bootstrap inside a hook.

    private static final class Pend {
        final Member member;
        final boolean periodic;
        final Pend next;

        Pend(Member member, boolean periodic, Pend next) {
            this.member = member;
            this.periodic = periodic;
            this.next = next;
        }
    }

    private static final class Push implements java.util.function.BiFunction<Key, Pend, Pend> {
        private final Member member;
        private final boolean periodic;

        Push(Member member, boolean periodic) {
            this.member = member;
            this.periodic = periodic;
        }

        @Override
        public Pend apply(Key k, Pend old) {
            return new Pend(member, periodic, old);
        }
    }

    /** Takes the newest entry (the chain's head): the hand-off that just failed. */
    private static final class PopNewest implements java.util.function.BiFunction<Key, Pend, Pend> {
        Pend head;

        @Override
        public Pend apply(Key k, Pend old) {
            head = old;
            return old.next;
        }
    }

    /**
     * Takes the oldest entry (the chain's last node): one Runnable queued from two contracts is
     * charged to each in the order the hand-offs happened, which is the order a FIFO queue runs them.
     */
    private static final class Pop implements java.util.function.BiFunction<Key, Pend, Pend> {
        Pend head;

        @Override
        public Pend apply(Key k, Pend old) {
            if (old.next == null) {
                head = old;
                return null;
            }
            int n = 0;
            for (Pend p = old; p != null; p = p.next) n++;
            Pend[] keep = new Pend[n - 1];
            Pend p = old;
            for (int i = 0; i < n - 1; i++, p = p.next) keep[i] = p;
            head = p;
            Pend rebuilt = null;
            for (int i = n - 2; i >= 0; i--) rebuilt = new Pend(keep[i].member, keep[i].periodic, rebuilt);
            return rebuilt;
        }
    }

    private static final class Running {
        final Member member;
        final Member previous;
        final Object task;
        final Running outer;
        /** For a CompletableFuture stage: the future it completes, and what its function threw. */
        Object cfDep;
        Throwable cfThrown;

        Running(Member member, Member previous, Object task, Running outer) {
            this.member = member;
            this.previous = previous;
            this.task = task;
            this.outer = outer;
        }
    }
}
