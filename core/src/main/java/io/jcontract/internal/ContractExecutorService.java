package io.jcontract.internal;

import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RunnableFuture;
import java.util.concurrent.TimeUnit;

/**
 * An executor service whose tasks are forks of their submitters.
 *
 * <p>The fork happens on the submitting thread ({@code newTaskFor} for
 * submit/invoke, {@code execute} otherwise), so the task is pending in its
 * contract before the pool can see it. Every way a task can fail to run
 * settles it exactly once: rejection, cancellation of its Future,
 * {@code shutdownNow}, or a kill (which cancels it first). A task run by
 * {@code execute} lets its throwable escape to the worker as the pool
 * expects; a {@link Pooled} future keeps it, as {@link FutureTask} does.
 */
public final class ContractExecutorService extends AbstractExecutorService {
    private final ExecutorService delegate;

    public ContractExecutorService(ExecutorService delegate) {
        this.delegate = delegate;
    }

    /** A plain executor whose every execute is a fork. */
    public static Executor forkingExecutor(Executor executor) {
        return command -> {
            if (command == null) throw new NullPointerException("command");    // at the call, as Executor says
            Member m = Lifecycle.forkTask();
            dispatch(executor, new PooledRunnable(command, m), m);
        };
    }

    private static void dispatch(Executor executor, Runnable task, Member m) {
        try {
            executor.execute(task);
        } catch (RuntimeException | Error e) {
            Lifecycle.forkFailed(m, e);
            throw e;
        }
        Lifecycle.forkCompleted(m);
    }

    /**
     * The task {@code newTaskFor} made last on this thread, until the next
     * {@code execute}. {@code ExecutorCompletionService} (and so
     * {@code invokeAny}) makes its Future with {@code newTaskFor} and then
     * executes a wrapper of its own around it: such a wrapper is the made
     * task's hand-off, not a task of its own, so it is dispatched with the
     * made task's member instead of forking a second one.
     */
    private static final ThreadLocal<Pooled<?>> MADE = new ThreadLocal<>();

    @Override
    protected <T> RunnableFuture<T> newTaskFor(Callable<T> callable) {
        return made(new Pooled<>(callable, Lifecycle.forkTask(), this));
    }

    @Override
    protected <T> RunnableFuture<T> newTaskFor(Runnable runnable, T value) {
        return made(new Pooled<>(runnable, value, Lifecycle.forkTask(), this));
    }

    private static <T> Pooled<T> made(Pooled<T> p) {
        MADE.set(p);
        return p;
    }

    @Override
    public void execute(Runnable command) {
        Pooled<?> made = MADE.get();
        if (made != null) MADE.remove();
        if (command instanceof Pooled<?> p && p.executor == this) {
            dispatch(delegate, p, p.member);
        } else {
            if (command == null) throw new NullPointerException("command");
            if (made != null && made.executor == this && !made.isDone()) {
                dispatch(delegate, command, made.member);      // a wrapper around the task just made
                return;
            }
            Member m = Lifecycle.forkTask();
            dispatch(delegate, new PooledRunnable(command, m), m);
        }
    }

    @Override
    public void shutdown() {
        delegate.shutdown();
    }

    /**
     * Shuts the pool down now and settles its queued tasks. Returns the
     * caller's own tasks, as a plain pool would: the Runnable handed to
     * {@code execute}, and the Future {@code submit} returned, never the
     * wrapper that made them members.
     */
    @Override
    public List<Runnable> shutdownNow() {
        List<Runnable> never = delegate.shutdownNow();
        List<Runnable> own = new java.util.ArrayList<>(never.size());
        for (Runnable r : never) {
            if (r instanceof Pooled<?> p) p.cancel(false);
            else if (r instanceof PooledRunnable pr) {
                pr.member.contract.cancelPending(pr.member);
                r = pr.command;
            }
            own.add(r);
        }
        return own;
    }

    @Override
    public boolean isShutdown() {
        return delegate.isShutdown();
    }

    @Override
    public boolean isTerminated() {
        return delegate.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return delegate.awaitTermination(timeout, unit);
    }

    @Override
    public String toString() {
        return "contract-forking " + delegate;
    }

    /** A task run by execute: its throwable escapes to the worker, so a death is CORE. */
    static final class PooledRunnable implements Runnable {
        final Runnable command;
        final Member member;

        PooledRunnable(Runnable command, Member member) {
            this.command = command;
            this.member = member;
        }

        @Override
        public void run() {
            Lifecycle.runTask(member, () -> {
                command.run();
                return null;
            });
        }

        @Override
        public String toString() {
            return command + " (" + member + " of " + member.contract + ")";
        }
    }

    /** A task with a Future: its throwable stays in the Future, so its death is only an EXIT. */
    static final class Pooled<V> extends FutureTask<V> {
        final Member member;
        final ContractExecutorService executor;
        private Throwable failure;

        Pooled(Callable<V> callable, Member member, ContractExecutorService executor) {
            super(callable);
            this.member = member;
            this.executor = executor;
            member.attachFuture(this);
        }

        Pooled(Runnable runnable, V value, Member member, ContractExecutorService executor) {
            super(runnable, value);
            this.member = member;
            this.executor = executor;
            member.attachFuture(this);
        }

        @Override
        public void run() {
            Lifecycle.runTask(member, () -> {
                super.run();
                return failure;
            });
            if (!isDone()) cancel(false);       // skipped (killed or cancelled first): the Future still completes
        }

        @Override
        protected void set(V v) {
            Lifecycle.taskCompleting(member, null);
            super.set(v);
        }

        @Override
        protected void setException(Throwable t) {
            failure = t;
            Lifecycle.taskCompleting(member, t);
            super.setException(t);
        }

        @Override
        protected void done() {
            if (isCancelled()) member.contract.cancelPending(member);
        }
    }
}
