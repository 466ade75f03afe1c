package io.jcontract.bench;

import io.jcontract.Contract;
import io.jcontract.ContractTemplate;
import io.jcontract.Contracts;
import io.jcontract.internal.Lifecycle;
import io.jcontract.internal.Member;

/**
 * Puts JMH's worker threads inside a contract, so that what they start is a member of a real one.
 *
 * <p>Theory of operation. JMH runs benchmarks on worker threads jcontract did not start; they are
 * in the root contract, which keeps no member list and takes no lock, so a fork from there costs
 * less than a fork into a contract. No public call lets a running thread enter a contract, so this
 * uses the hooks the agent uses for pooled tasks ({@code io.jcontract.internal.Lifecycle}): with a
 * template active, {@code forkTask} makes a pending "seed" member, the first of a new contract held
 * by the caller; bound to the caller by {@code beginTask}, the seed forks the pending members the
 * workers will bind, then leaves. A worker that binds a member is, until it releases it, exactly
 * like a pool worker running a task of that contract: whatever it starts joins the contract.
 *
 * <p>Bind and release within one iteration ({@code Level.Iteration}): under the agent JMH's own
 * executor is instrumented, and the worker's member is restored at the end of each JMH task.
 */
public final class Members {
    private final Contract contract;
    private final Member[] pending;
    private int taken;

    private Members(Contract contract, Member[] pending) {
        this.contract = contract;
        this.pending = pending;
    }

    /** A new contract, held by the calling thread, with {@code n} pending members to {@link #bind}. */
    public static Members open(int n) {
        Member seed;
        try (ContractTemplate.Activation a = ContractTemplate.process().activate()) {
            seed = Lifecycle.forkTask();
        }
        Contract c = Contracts.latest();          // before binding: the holder is the calling thread
        Member[] ms = new Member[n];
        Member previous = Lifecycle.beginTask(seed);
        try {
            for (int i = 0; i < n; i++) ms[i] = Lifecycle.forkTask();
        } finally {
            Lifecycle.endTask(seed, previous, null, null);
        }
        return new Members(c, ms);
    }

    /** The holder's handle. */
    public Contract contract() {
        return contract;
    }

    /** Makes the calling thread the next pending member until {@link Binding#release()}. */
    public synchronized Binding bind() {
        Member m = pending[taken++];
        Member previous = Lifecycle.beginTask(m);
        if (previous == null) throw new IllegalStateException("member " + m.id() + " was cancelled");
        if (Contracts.current().id() != contract.id())
            throw new IllegalStateException("bound to member " + m.id() + " but in contract " + Contracts.current().id());
        return new Binding(m, previous);
    }

    /** Abandons the contract (once every member left, it dies). */
    public void close() {
        contract.abandon();
    }

    /** One thread's membership. */
    public static final class Binding {
        private final Member member, previous;

        Binding(Member member, Member previous) {
            this.member = member;
            this.previous = previous;
        }

        /** The thread leaves the contract (EXIT status 0) and is what it was before. */
        public void release() {
            Lifecycle.endTask(member, previous, null, null);
        }
    }
}
