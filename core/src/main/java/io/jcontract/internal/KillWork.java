package io.jcontract.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * The kill ladder's work after the contract lock is released (the marking,
 * rung 1's victims and rung 2's cancelled tasks, is collected under the lock
 * by {@link KillLadder#killLocked}).
 *
 * <h2>Theory of operation</h2>
 * An immutable list of what one kill must still do, made under the
 * contract's lock and run by the killing thread after {@code unlock()},
 * holding no lock (lock order: {@link io.jcontract.internal the package
 * documentation}; interrupts, {@code Future.cancel} and closes run hooks and
 * user code). Rung 1: interrupt the victims on the caller's thread (each
 * member's handshake CAS keeps the interrupt off a worker's next task).
 * Rung 2: cancel the queued tasks' Futures on the caller's thread, so they
 * are done at return. Rung 4 goes to {@link KillReaper}, off the caller's
 * thread: what the contract owns shut down ({@code whole} kills only), the
 * registered resources closed, each step under its own bound; its outcomes
 * are handed back to the contract under its lock. Rungs 1 and 2 are done
 * whatever each step throws (a Future's {@code done()} is user code); an
 * Error is passed on once every step was done.
 */
final class KillWork {
    private final ContractImpl contract;
    private final List<Member> victims, cancelled;
    private final List<AutoCloseable> resources;
    private final boolean whole;

    KillWork(ContractImpl contract, List<Member> victims, List<Member> cancelled, List<AutoCloseable> resources,
             boolean whole) {
        this.contract = contract;
        this.victims = victims;
        this.cancelled = cancelled;
        this.resources = resources;
        this.whole = whole;
    }

    void run() {
        Throwable error = null;
        for (Member m : victims) {
            try {
                m.interruptIfRunning();
            } catch (Throwable t) {
                error = firstError(error, t);
            }
        }
        for (Member m : cancelled) {            // rung 2, on the caller's thread: the Futures are done at return
            try {
                var f = m.future;
                if (f != null) f.cancel(false);
            } catch (Throwable t) {
                error = firstError(error, t);
            }
        }
        List<KillReaper.Step> steps = new ArrayList<>();
        Ownership o = whole ? contract.ownership() : null;
        if (o != null) steps.addAll(Ownership.steps(o.drain()));
        steps.addAll(KillLadder.closeSteps(resources));
        if (!steps.isEmpty()) contract.kills.killStepsStarted(KillReaper.start(String.valueOf(contract.id), steps));
        if (error != null) throw (Error) error;
    }

    private static Throwable firstError(Throwable first, Throwable t) {
        return first != null || !(t instanceof Error) ? first : t;
    }
}
