package io.jcontract;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * Shared helpers for {@link LifecycleTest}, {@link KillTest}, {@link ExecutorTest}
 * and {@link LeakTest}: bounded waits on events, latches and states, and a
 * per-test cleanup that releases blocked members and abandons the contracts a
 * test created (the contract table is global, and {@link LeakTest} checks it).
 */
final class LifecycleTestKit {
    /** The id of the root contract. */
    static final int ROOT = 1;
    /** Upper bound for every wait on something that should happen promptly. */
    static final Duration WAIT = Duration.ofSeconds(5);

    private LifecycleTestKit() {
    }

    /** A template that also sends FORK and EXIT (informative), so lifecycles can be observed. */
    static ContractTemplate verbose() {
        return ContractTemplate.process()
                .informative(EventType.FORK, EventType.EXIT, EventType.CORE, EventType.SIGNAL);
    }

    /** Waits (bounded) for {@code latch}; fails the test if it does not open. */
    static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(WAIT.toMillis(), TimeUnit.MILLISECONDS), "latch did not open within " + WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting", e);
        }
    }

    /** Waits for {@code latch} and ignores every interrupt on the way: a member that swallows kills. */
    static void awaitIgnoringInterrupts(CountDownLatch latch) {
        boolean interrupted = false;
        while (latch.getCount() > 0) {
            try {
                latch.await();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    static void join(Thread t) throws InterruptedException {
        assertTrue(t.join(WAIT), t + " did not end within " + WAIT);
    }

    /**
     * Reads {@code listener} until an event of contract {@code contractId}
     * matches {@code stop}; returns every event of that contract read on the
     * way, the matching one last. Events of other contracts are skipped.
     */
    static List<ContractEvent> readUntil(EventListener listener, int contractId, Predicate<ContractEvent> stop)
            throws InterruptedException {
        List<ContractEvent> seen = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        for (;;) {
            long left = deadline - System.nanoTime();
            ContractEvent e;
            try {
                if (left <= 0) throw new TimeoutException();
                e = listener.take(Duration.ofNanos(left));
            } catch (TimeoutException t) {
                return fail("no matching event of contract " + contractId + " within " + WAIT + "; read " + seen);
            }
            if (e.contractId() != contractId) continue;
            seen.add(e);
            if (stop.test(e)) return seen;
        }
    }

    /** The first event of {@code contractId} that matches {@code what}. */
    static ContractEvent first(EventListener listener, int contractId, Predicate<ContractEvent> what)
            throws InterruptedException {
        List<ContractEvent> seen = readUntil(listener, contractId, what);
        return seen.get(seen.size() - 1);
    }

    static Predicate<ContractEvent> is(EventType type) {
        return e -> e.type() == type;
    }

    static Predicate<ContractEvent> is(EventType type, long member) {
        return e -> e.type() == type && e.member() == member;
    }

    static List<ContractEvent> ofType(List<ContractEvent> events, EventType type) {
        return events.stream().filter(e -> e.type() == type).toList();
    }

    /**
     * Waits until {@code view} reaches {@code state}, polling the state itself
     * (nothing publishes an event when a contract is orphaned). Bounded.
     */
    static void awaitState(ContractView view, ContractState state) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (view.state() != state) {
            if (System.nanoTime() - deadline > 0)
                fail("contract " + view.id() + " is still " + view.state() + ", expected " + state + " within " + WAIT);
            LockSupport.parkNanos(1_000_000);
        }
    }

    /** Releases blocked members, waits for the threads a test started, and abandons its contracts. */
    static final class Cleanup implements AutoCloseable {
        private final List<CountDownLatch> latches = new ArrayList<>();
        private final List<Thread> threads = new ArrayList<>();
        private final List<Contract> contracts = new ArrayList<>();

        CountDownLatch latch() {
            return latch(1);
        }

        CountDownLatch latch(int n) {
            CountDownLatch l = new CountDownLatch(n);
            synchronized (this) {
                latches.add(l);
            }
            return l;
        }

        synchronized Thread thread(Thread t) {
            threads.add(t);
            return t;
        }

        synchronized Contract contract(Contract c) {
            contracts.add(c);
            return c;
        }

        @Override
        public void close() {
            List<CountDownLatch> ls;
            List<Thread> ts;
            List<Contract> cs;
            synchronized (this) {
                ls = List.copyOf(latches);
                ts = List.copyOf(threads);
                cs = List.copyOf(contracts);
            }
            for (CountDownLatch l : ls) while (l.getCount() > 0) l.countDown();
            try {
                for (Thread t : ts) t.join(WAIT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            for (Contract c : cs) {
                try {
                    if (c.state() == ContractState.OWNED) c.abandon();
                } catch (ContractPermissionException notHeld) {
                    // abandoned by the test itself, or held by a thread that has ended
                }
            }
        }
    }
}
