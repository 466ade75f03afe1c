package io.jcontract;

import io.jcontract.internal.Lifecycle;
import io.jcontract.internal.Member;

import java.util.Objects;

/**
 * Starting threads as members, for code that does not run with the agent.
 *
 * <p>Each start is a <em>fork</em> of the calling thread: if the caller has
 * an active {@link ContractTemplate}, the new thread is the first member of
 * a new contract the caller holds (see {@link Contracts#latest()});
 * otherwise it joins the caller's own contract. The thread is a member
 * before it runs, and leaves its contract when its body ends: normally
 * (EXIT status 0), by an uncaught {@link VirtualMachineError} (HWERR, then
 * EXIT) or another uncaught throwable (CORE, then EXIT). The throwable still
 * reaches the thread's uncaught exception handler.
 */
public final class ContractThreads {
    private ContractThreads() {
    }

    /** Starts {@code task} on a new virtual thread, as a fork of the caller. */
    public static Thread startVirtual(Runnable task) {
        return start(Thread.ofVirtual(), task);
    }

    /** Starts {@code task} on a new platform thread, as a fork of the caller. */
    public static Thread startPlatform(Runnable task) {
        return start(Thread.ofPlatform(), task);
    }

    /**
     * Starts {@code task} on a thread made by {@code builder}, as a fork of the caller.
     *
     * @throws ContractKilledException if the caller is a member that has been killed
     * @throws ContractLimitException if a new contract would pass the limit
     */
    public static Thread start(Thread.Builder builder, Runnable task) {
        Objects.requireNonNull(builder, "builder");
        Objects.requireNonNull(task, "task");
        MemberBody body = new MemberBody(task);
        Thread t = builder.unstarted(body);
        body.member = Lifecycle.forkThread(t);
        try {
            t.start();
        } catch (Throwable e) {
            Lifecycle.forkFailed(body.member, e);
            throw e;
        }
        Lifecycle.forkCompleted(body.member);
        return t;
    }

    /**
     * The body of a member thread; {@code member} is set before the thread
     * starts. Where the kernel binds a thread's member as a scoped value
     * ({@code Lifecycle.bindsCurrent}), the first {@code run} enters the
     * binding and runs again inside it ({@code bound}: the thread's own flag).
     */
    private static final class MemberBody implements Runnable {
        private final Runnable task;
        private Member member;
        private boolean bound;

        MemberBody(Runnable task) {
            this.task = task;
        }

        @Override
        public void run() {
            if (!bound && Lifecycle.bindsCurrent()) {
                bound = true;
                Lifecycle.runBound(member, this);
                return;
            }
            Lifecycle.runThread(member, task, bound);
        }
    }
}
