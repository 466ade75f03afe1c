package io.jcontract.agent.boot;

import java.util.List;
import java.util.TimerTask;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RunnableScheduledFuture;

/**
 * The static methods that woven JDK bytecode calls, one per hook site (see
 * {@code io.jcontract.agent.Weaver}). Each is a thin door into {@link Bridge}
 * with the argument shapes the bytecode has at hand, so that the weaver only
 * ever emits "load this/arguments, invokestatic".
 *
 * <h2>Theory of operation</h2>
 * Two kinds of door. <em>Refusing</em> doors ({@link #threadStarting},
 * {@link #execute}, {@link #scheduled}, {@link #poolSubmit}, {@link #fork},
 * {@link #timerSched}) let a {@code ContractKilledException} reach the caller:
 * a killed member may not start threads or hand off tasks. Every other door
 * swallows whatever the bridge throws, so the JDK code runs exactly as it
 * would without the agent; a failing hook must never change a thread's fate.
 * No door parks or takes a lock of its own; the kernel calls behind them may
 * take a contract lock (fork, exit, the interrupt door's holder check), which
 * is why the kernel never interrupts, starts or hands off while holding one
 * (the lock order is stated once, in the {@code io.jcontract.internal}
 * package documentation).
 */
public final class Hooks {
    private Hooks() {
    }

    private static void failed(Throwable t) {
        if (Bridge.verbose) System.err.println("[jcontract-agent] hook failed: " + t);
    }

    // ------------------------------------------------------------ threads

    public static void threadStarting(Thread t) {
        Bridge.threadStarting(t);
    }

    public static void threadStarted(Thread t, Throwable failure) {
        try {
            Bridge.threadStarted(t, failure);
        } catch (Throwable x) {
            failed(x);
        }
    }

    /** @return true to skip the body (the member was killed before it ran) */
    public static boolean threadRunning(Thread t) {
        try {
            return Bridge.threadRunning(t);
        } catch (Throwable x) {
            failed(x);
            return false;
        }
    }

    public static void threadExiting(Thread t) {
        try {
            Bridge.threadExiting(t);
        } catch (Throwable x) {
            failed(x);
        }
    }

    public static void threadDying(Thread t, Throwable failure) {
        try {
            Bridge.threadDying(t, failure);
        } catch (Throwable x) {
            failed(x);
        }
    }

    public static void interrupting(Thread t) {
        try {
            Bridge.interrupting(t);
        } catch (Throwable x) {
            failed(x);
        }
    }

    public static void blocking() {
        try {
            Bridge.blocking();
        } catch (Throwable x) {
            failed(x);
        }
    }

    public static void parking() {
        try {
            Bridge.parking();
        } catch (Throwable x) {
            failed(x);
        }
    }

    /** After {@code Lifecycle.forkThread(t)} returned: the explicit API forked {@code t} itself. */
    public static void explicitFork(Thread t) {
        try {
            Bridge.explicitFork(t);
        } catch (Throwable x) {
            failed(x);
        }
    }

    /** Entering ({@code true}) or leaving a JDK method that starts JVM-wide threads or tasks. */
    public static void infrastructure(boolean entering) {
        try {
            Bridge.infrastructure(entering);
        } catch (Throwable x) {
            failed(x);
        }
    }

    // ------------------------------------------------------------ executors

    public static void execute(Runnable task) {
        Bridge.handoff(task, false);
    }

    /** A hooked constructor returned (a pool, channel, socket, HttpClient or adapter-named class). */
    public static void created(Object o) {
        try {
            Bridge.created(o);
        } catch (Throwable x) {
            failed(x);
        }
    }

    /** Around {@code ThreadPoolExecutor.addWorker} of {@code pool}. */
    public static void workerCreationOf(Object pool, boolean entering) {
        try {
            Bridge.workerCreationOf(pool, entering);
        } catch (Throwable x) {
            failed(x);
        }
    }

    public static void workerCreation(boolean entering) {
        try {
            Bridge.workerCreation(entering);
        } catch (Throwable x) {
            failed(x);
        }
    }

    public static void rejected(Runnable task) {
        try {
            Bridge.discard(task, null);
        } catch (Throwable x) {
            failed(x);
        }
    }

    /** At the return of {@code shutdownNow()}, with the list it returns. */
    public static void shutdownNow(List<Runnable> never) {
        try {
            Bridge.discardList(never);
        } catch (Throwable x) {
            failed(x);
        }
    }

    /** At the return of {@code remove(task)} or {@code cancel(..)}: {@code done} is what it returns. */
    public static void removed(boolean done, Object task) {
        if (!done) return;
        try {
            Bridge.discardAll(task);
        } catch (Throwable x) {
            failed(x);
        }
    }

    public static void futureCompleting(Object future, Throwable failure) {
        try {
            Bridge.futureCompleting(future, failure);
        } catch (Throwable x) {
            failed(x);
        }
    }

    /** {@code ThreadPoolExecutor.execute(task)} threw {@code failure} (a rejection was seen by {@link #rejected}). */
    public static void executeFailed(Object task, Throwable failure) {
        try {
            if (!(failure instanceof java.util.concurrent.RejectedExecutionException)) Bridge.discard(task, failure);
        } catch (Throwable x) {
            failed(x);
        }
    }

    /** A pool handed {@code task} back without running it ({@code pollTask}, {@code pollSubmission}, ...). */
    public static void taken(Object task) {
        if (task == null) return;
        try {
            Bridge.discardAll(task);
        } catch (Throwable x) {
            failed(x);
        }
    }

    /** A {@code ScheduledFutureTask} was made (the next task this thread schedules may wrap it). */
    public static void scheduledTaskMade(Object task) {
        try {
            Bridge.scheduledTaskMade(task);
        } catch (Throwable x) {
            failed(x);
        }
    }

    public static void scheduled(RunnableScheduledFuture<?> task) {
        Bridge.scheduled(task);
    }

    // ------------------------------------------------------------ fork/join

    public static void poolSubmit(ForkJoinPool pool, ForkJoinTask<?> task) {
        Bridge.fjHandoff(pool, task);
    }

    public static void fork(ForkJoinTask<?> task) {
        Bridge.fjHandoff(null, task);
    }

    /** A hand-off that threw {@code failure}: the task will never run. */
    public static void handoffFailed(Object task, Throwable failure) {
        try {
            Bridge.discard(task, failure);
        } catch (Throwable x) {
            failed(x);
        }
    }

    public static void doExecBegin(ForkJoinTask<?> task) {
        try {
            Bridge.fjBegin(task);
        } catch (Throwable x) {
            failed(x);
        }
    }

    public static void doExecEnd(ForkJoinTask<?> task) {
        try {
            Bridge.fjEnd(task);
        } catch (Throwable x) {
            failed(x);
        }
    }

    // ------------------------------------------------------------ CompletableFuture

    public static void cfAsyncRun(Object stage, Object dep) {
        try {
            Bridge.cfStageRunning(stage, dep);
        } catch (Throwable x) {
            failed(x);
        }
    }

    /** {@code tryFire(mode)} of a completion; mode 1 (ASYNC) means an executor runs it. */
    public static void cfTryFire(int mode, Object stage, Object dep) {
        if (mode != 1) return;
        cfAsyncRun(stage, dep);
    }

    public static void cfThrew(Object future, Throwable x) {
        try {
            Bridge.cfThrew(future, x);
        } catch (Throwable t) {
            failed(t);
        }
    }

    // ------------------------------------------------------------ timer

    public static void timerSched(TimerTask task, long period) {
        Bridge.handoff(task, period != 0);
    }

    public static void timerCleared(TimerTask[] queue, int size) {
        try {
            Bridge.timerCleared(queue, size);
        } catch (Throwable x) {
            failed(x);
        }
    }
}
