package io.jcontract;

import io.jcontract.internal.ContractExecutorService;

import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;

/**
 * Executors whose tasks are members, for code that does not run with the agent.
 *
 * <p>Each task handed to a wrapped executor is a fork of the submitting
 * thread: it belongs to the submitter's contract (or, if the submitter has
 * an active template, to a new contract the submitter holds). From the
 * hand-off until it starts it is <em>pending</em>: counted, so the contract
 * is not empty, but not yet a member; while it runs it is a member (FORK
 * when it starts, EXIT when it ends); the pool's worker threads are never
 * members on its account. A kill cancels the contract's pending tasks and
 * interrupts its running ones only while they run: the interrupt never
 * reaches the worker's next task. A task whose throwable is kept by its
 * {@link java.util.concurrent.Future} reports it in EXIT only; one run by
 * {@code execute}, whose throwable would otherwise be lost to the worker,
 * also reports CORE. A rejected task leaves no trace in the contract.
 */
public final class ContractExecutors {
    private ContractExecutors() {
    }

    /**
     * Wraps {@code executor}; shutting the wrapper down shuts the executor
     * down. Its {@code shutdownNow()} settles the queued tasks in their
     * contracts and returns the caller's own tasks, as a plain pool does: the
     * {@code Runnable}s given to {@code execute} and the {@code Future}s that
     * {@code submit} returned, never jcontract's wrappers.
     */
    public static ExecutorService wrap(ExecutorService executor) {
        return new ContractExecutorService(Objects.requireNonNull(executor, "executor"));
    }

    /** Wraps a plain {@code executor}: each {@code execute} is a fork. */
    public static Executor wrap(Executor executor) {
        Objects.requireNonNull(executor, "executor");
        if (executor instanceof ExecutorService es) return wrap(es);
        return ContractExecutorService.forkingExecutor(executor);
    }
}
