package io.jcontract.stress;

import io.jcontract.Contract;
import io.jcontract.ContractExecutors;
import io.jcontract.ContractTemplate;
import io.jcontract.Contracts;
import io.jcontract.internal.Lifecycle;
import io.jcontract.internal.Member;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * Members whose life spans a state's constructor and its actors.
 *
 * <h2>Theory of operation</h2>
 * Some races need one member to do something in the set-up (create a
 * contract, so that it holds it) and something else in an actor (exit, fork
 * with a transfer term). A real thread cannot be "resumed" by a jcstress
 * actor, so a <em>puppet</em> is a thread member forked for a thread that is
 * never started; its body runs in pieces, on whichever thread calls
 * {@link #act}, through the same public hooks the agent uses for threads it
 * did not start ({@link Lifecycle#beginThread}, {@link Lifecycle#endThread}).
 * {@code act} brackets the piece with a throw-away task of the caller's own
 * (root) contract, whose {@link Lifecycle#runTask} restores the calling
 * thread's member afterwards, so jcstress threads stay themselves.
 *
 * <p>Rules that keep this honest: a puppet's runner is the last thread that
 * acted as it, so a kill would interrupt that thread. Puppets therefore act
 * in actors only when they are root members (holders, which nothing kills),
 * or only to {@link #exit} (after which no kill can reach them). Every state
 * ends its puppets in the arbiter, so no holder outlives a sample.
 */
final class Puppets {
    static {
        // jcstress keeps many states alive at once; each holds contracts.
        Contracts.setContractLimit(Integer.MAX_VALUE);
    }

    private static final Runnable NOTHING = () -> { };

    private Puppets() {
    }

    /**
     * Forks a puppet from the calling thread: a member of the caller's
     * contract, or the first member of a new one if the caller has an
     * active template. From a jcstress thread it is a root member: a holder.
     */
    static Member fork() {
        Thread never = Thread.ofVirtual().unstarted(NOTHING);
        Member m = Lifecycle.forkThread(never);
        AgentBridge.forgetUnstarted(never);
        Lifecycle.forkCompleted(m);     // as Thread.start returning: a transfer term applies now
        return m;
    }

    /** Runs {@code action} on the calling thread as {@code puppet}; the thread is itself again afterwards. */
    static void act(Member puppet, Runnable action) {
        Member scratch = Lifecycle.forkTask();
        Lifecycle.runTask(scratch, () -> {
            Lifecycle.beginThread(puppet);
            action.run();
            return null;
        });
    }

    /** The puppet's body ends normally, on the calling thread (EXIT status 0; what it holds is given up). */
    static void exit(Member puppet) {
        act(puppet, () -> Lifecycle.endThread(puppet, null));
    }

    /** An executor that captures the tasks handed to it (each a fork of the caller) instead of running them. */
    static Executor capturing(List<Runnable> into) {
        return ContractExecutors.wrap((Executor) into::add);
    }

    /** A contract, its holder (a root puppet) and the pending tasks its first member handed out. */
    record Held(Member holder, Contract contract, List<Runnable> tasks) {
        /** The holder exits: whatever it still holds is abandoned (or inherited). */
        void release() {
            exit(holder);
        }
    }

    /**
     * Creates, from the calling jcstress thread, a contract from {@code terms}
     * held by a new root puppet; its first member (a puppet) submits
     * {@code bodies} as pending tasks, captured, and exits. The contract then
     * holds only those pending tasks.
     */
    static Held held(ContractTemplate terms, Runnable... bodies) {
        List<Runnable> tasks = new ArrayList<>();
        Held h = heldDoing(terms, () -> {
            Executor ex = capturing(tasks);
            for (Runnable b : bodies) ex.execute(b);
        }, tasks);
        if (tasks.size() != bodies.length) throw new IllegalStateException("tasks were not captured");
        return h;
    }

    /**
     * Like {@link #held(ContractTemplate, Runnable...)}, but the first member
     * runs {@code asFirstMember} (which hands out tasks its own way) before
     * it exits; {@code tasks} is returned as the Held's task list.
     */
    static Held heldDoing(ContractTemplate terms, Runnable asFirstMember, List<Runnable> tasks) {
        Member holder = fork();
        Contract[] c = new Contract[1];
        act(holder, () -> {
            Member first;
            try (var active = terms.activate()) {
                first = fork();
            }
            c[0] = Contracts.latest();
            act(first, asFirstMember);
            exit(first);
        });
        return new Held(holder, c[0], tasks);
    }
}
