package io.jcontract.stress;

import io.jcontract.Contract;
import io.jcontract.ContractExecutors;
import io.jcontract.ContractTemplate;
import io.jcontract.ContractThreads;
import io.jcontract.Contracts;
import io.jcontract.LifecycleAdapter;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Shared pieces of the rung-4 races (ownership and resources against a kill):
 * a pool that counts its shutdowns, a lifecycle object with an adapter that
 * counts its stops, a contract whose first member runs some code and leaves
 * pending tasks, and a bounded wait for rung 4, which runs off the killer's
 * thread.
 */
final class Rung4 {
    private Rung4() {
    }

    /** A pool without threads that counts {@code shutdownNow} calls. */
    static final class CountingPool extends ThreadPoolExecutor {
        final AtomicInteger shutdowns = new AtomicInteger();

        CountingPool() {
            super(0, 1, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
        }

        @Override
        public List<Runnable> shutdownNow() {
            shutdowns.incrementAndGet();
            return super.shutdownNow();
        }
    }

    /** A library's lifecycle object, as a {@link StressAdapter} sees it. */
    static final class StressLifecycle {
        final AtomicInteger stops = new AtomicInteger();
    }

    /** The adapter of {@link StressLifecycle} (found by ServiceLoader: META-INF/services). */
    public static final class StressAdapter implements LifecycleAdapter {
        @Override
        public Set<String> lifecycleClasses() {
            return Set.of(StressLifecycle.class.getName());
        }

        @Override
        public boolean recognises(Object candidate) {
            return candidate instanceof StressLifecycle;
        }

        @Override
        public void stop(Object lifecycle, Duration timeout) {
            ((StressLifecycle) lifecycle).stops.incrementAndGet();
        }
    }

    /** A contract whose first member ran {@code asFirst}, handed out {@code tasks} (captured) and left. */
    record Setup(Contract contract, List<Runnable> tasks) {
    }

    static Setup contract(Runnable asFirst, Runnable... bodies) {
        List<Runnable> captured = new ArrayList<>();
        Executor executor = ContractExecutors.wrap((Executor) captured::add);
        Thread first;
        Contract c;
        try (var active = ContractTemplate.process().activate()) {
            first = ContractThreads.startVirtual(() -> {
                asFirst.run();
                for (Runnable body : bodies) executor.execute(body);
            });
            c = Contracts.latest();
        }
        try {
            first.join();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        if (captured.size() != bodies.length) throw new IllegalStateException("tasks were not captured");
        return new Setup(c, captured);
    }

    /** Waits at most 10 s for {@code done} (rung 4 runs on the kill's own threads). */
    static boolean await(BooleanSupplier done) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) return false;
            LockSupport.parkNanos(100_000L);
        }
        return true;
    }

    /** Ends a sample: the contract is given up (it is empty after its kill, so it dies). */
    static void release(Contract c) {
        try {
            c.kill().awaitEmpty(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        c.abandon();
    }

    static {
        Contracts.setContractLimit(Integer.MAX_VALUE);
    }

    static final Runnable NOTHING = () -> { };

    static {
        Contracts.ids();    // the table exists before any actor
        if (Contracts.ids().isEmpty()) throw new IllegalStateException();
    }

    static void init() {
        io.jcontract.internal.Adapters.all();
    }
}
