package io.jcontract.stress;

import io.jcontract.Contract;
import io.jcontract.ContractEvent;
import io.jcontract.ContractExecutors;
import io.jcontract.ContractTemplate;
import io.jcontract.ContractThreads;
import io.jcontract.Contracts;
import io.jcontract.EventListener;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * Shared set-up for the stress tests. jcstress actors run on its own
 * threads, which are not members of anything; to make an actor act
 * <em>as a member</em>, a state hands the actor a pooled task of the
 * contract under test, captured instead of queued, which the actor then
 * runs inline: while it runs, the actor's thread is that member.
 */
final class StressSupport {
    static {
        // jcstress keeps many states alive at once; each holds a contract.
        Contracts.setContractLimit(Integer.MAX_VALUE);
    }

    private StressSupport() {
    }

    /** A contract and the pending tasks its first member handed out. */
    record Setup(Contract contract, List<Runnable> tasks, EventListener events) {
    }

    /**
     * Creates a contract from {@code terms} whose first member, a virtual
     * thread, submits {@code bodies} as pooled tasks (captured, not run) and
     * exits; returns once it has, so the contract holds only the pending tasks.
     */
    @SuppressWarnings("try")
    static Setup contractWithPendingTasks(ContractTemplate terms, boolean listen, Runnable... bodies) {
        List<Runnable> captured = new ArrayList<>();
        Executor capture = captured::add;
        Executor executor = ContractExecutors.wrap(capture);
        Thread first;
        Contract c;
        try (var active = terms.activate()) {
            first = ContractThreads.startVirtual(() -> {
                for (Runnable body : bodies) executor.execute(body);
            });
            c = Contracts.latest();
        }
        EventListener events = listen ? c.events() : null;
        try {
            first.join();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        if (captured.size() != bodies.length) throw new IllegalStateException("tasks were not captured");
        return new Setup(c, captured, events);
    }

    /** Drains every event that is ready. */
    static List<ContractEvent> drain(EventListener events) {
        List<ContractEvent> all = new ArrayList<>();
        for (var e = events.poll(); e.isPresent(); e = events.poll()) all.add(e.get());
        return all;
    }
}
