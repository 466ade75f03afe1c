package io.jcontract.agent;

import io.jcontract.agent.boot.Bridge;
import net.bytebuddy.asm.Advice;

import java.util.List;
import java.util.TimerTask;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RunnableScheduledFuture;

/**
 * The advice inlined into JDK classes: each only calls into {@link Bridge}.
 * Hooks whose failure must reach the caller (a fork by a killed member throws
 * ContractKilledException) do not suppress; the others swallow anything the
 * bridge throws so that the JDK code runs as it would without the agent.
 */
final class Advices {
    private Advices() {
    }

    // ----------------------------------------------------------------- threads

    static final class ThreadStart {
        @Advice.OnMethodEnter
        static void enter(@Advice.This Thread t) {
            Bridge.threadStarting(t);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Thread t, @Advice.Thrown Throwable failure) {
            Bridge.threadStarted(t, failure);
        }
    }

    /** On every {@code run()} of Thread and its subclasses: the first one on the thread binds its member. */
    static final class ThreadRun {
        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
        static boolean enter(@Advice.This Thread t) {
            return Bridge.threadRunning(t);
        }
    }

    /** {@code VirtualThread.run(Runnable)}: the whole life of a virtual thread's body. */
    static final class VirtualRun {
        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
        static boolean enter(@Advice.This Thread t) {
            return Bridge.threadRunning(t);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Thread t) {
            Bridge.threadExiting(t);
        }
    }

    static final class ThreadExit {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Thread t) {
            Bridge.threadExiting(t);
        }
    }

    static final class ThreadDying {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Thread t, @Advice.Argument(0) Throwable failure) {
            Bridge.threadDying(t, failure);
        }
    }

    static final class Interrupt {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Thread t) {
            Bridge.interrupting(t);
        }
    }

    static final class Blocking {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter() {
            Bridge.blocking();
        }
    }

    static final class Parking {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter() {
            Bridge.parking();
        }
    }

    /** {@code Lifecycle.forkThread}: the explicit API forked the thread itself. */
    static final class ExplicitFork {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.Argument(0) Thread t) {
            Bridge.explicitFork(t);
        }
    }

    // ----------------------------------------------------------------- executors

    static final class Execute {
        @Advice.OnMethodEnter
        static void enter(@Advice.Argument(0) Runnable task) {
            Bridge.handoff(task, false);
        }
    }

    static final class WorkerCreation {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter() {
            Bridge.workerCreation(true);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit() {
            Bridge.workerCreation(false);
        }
    }

    static final class Reject {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(0) Runnable task) {
            Bridge.discard(task, null);
        }
    }

    static final class ShutdownNow {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.Return List<Runnable> never) {
            Bridge.discardList(never);
        }
    }

    static final class Remove {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.Argument(0) Object task, @Advice.Return boolean removed) {
            if (removed) Bridge.discardAll(task);
        }
    }

    static final class Cancel {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object task, @Advice.Return boolean cancelled) {
            if (cancelled) Bridge.discardAll(task);
        }
    }

    /** {@code FutureTask.set(v)}: a pooled task leaves before its Future completes. */
    static final class FutureSet {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object f) {
            Bridge.futureCompleting(f, null);
        }
    }

    /** {@code FutureTask.setException(t)}. */
    static final class FutureSetException {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object f, @Advice.Argument(0) Throwable t) {
            Bridge.futureCompleting(f, t);
        }
    }

    static final class DelayedExecute {
        @Advice.OnMethodEnter
        static void enter(@Advice.Argument(0) RunnableScheduledFuture<?> task) {
            Bridge.scheduled(task);
        }
    }

    // ----------------------------------------------------------------- fork/join

    static final class PoolSubmit {
        @Advice.OnMethodEnter
        static void enter(@Advice.This ForkJoinPool pool, @Advice.AllArguments Object[] args) {
            Bridge.fjHandoff(pool, (ForkJoinTask<?>) args[args.length - 1]);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.AllArguments Object[] args, @Advice.Thrown Throwable failure) {
            if (failure != null) Bridge.discard(args[args.length - 1], failure);
        }
    }

    static final class Fork {
        @Advice.OnMethodEnter
        static void enter(@Advice.This ForkJoinTask<?> task) {
            Bridge.fjHandoff(null, task);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This ForkJoinTask<?> task, @Advice.Thrown Throwable failure) {
            if (failure != null) Bridge.discard(task, failure);
        }
    }

    static final class DoExec {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.This ForkJoinTask<?> task) {
            return Bridge.fjBegin(task);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This ForkJoinTask<?> task, @Advice.Enter Object ctx) {
            Bridge.fjEnd(task, ctx);
        }
    }

    // ----------------------------------------------------------------- CompletableFuture

    /** {@code AsyncSupply.run}, {@code AsyncRun.run}: note the future the stage completes. */
    static final class CfAsyncRun {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object stage, @Advice.FieldValue("dep") Object dep) {
            Bridge.cfStageRunning(stage, dep);
        }
    }

    /** {@code UniCompletion} subclasses' {@code tryFire(ASYNC)}: a completion run by an executor. */
    static final class CfTryFire {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object stage, @Advice.Argument(0) int mode,
                          @Advice.FieldValue("dep") Object dep) {
            if (mode == 1) Bridge.cfStageRunning(stage, dep);
        }
    }

    /** {@code CompletableFuture.completeThrowable(x)}: a stage's function threw {@code x}. */
    static final class CfThrew {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object future, @Advice.Argument(0) Throwable x) {
            Bridge.cfThrew(future, x);
        }
    }

    // ----------------------------------------------------------------- timer

    static final class TimerSched {
        @Advice.OnMethodEnter
        static void enter(@Advice.Argument(0) TimerTask task, @Advice.Argument(2) long period) {
            Bridge.handoff(task, period != 0);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Argument(0) TimerTask task, @Advice.Thrown Throwable failure) {
            if (failure != null) Bridge.discard(task, failure);
        }
    }

    static final class TimerQueueClear {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.FieldValue("queue") TimerTask[] queue, @Advice.FieldValue("size") int size) {
            Bridge.timerCleared(queue, size);
        }
    }
}
