package io.jcontract;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Per-test fixture: creates contracts whose first member is a virtual
 * thread, keeps track of every gate, thread, listener and contract a test
 * makes, and undoes them all in {@link #close()} (release gates, join
 * threads, close listeners, abandon contracts, clear the active template),
 * so that no test leaves a live contract behind.
 */
final class TestSupport implements AutoCloseable {
    /** Bound on every wait in these tests. */
    static final Duration WAIT = Duration.ofSeconds(2);
    /** Swallows the throwables tests make members die of (they are still reported as CORE/EXIT). */
    static final Thread.UncaughtExceptionHandler QUIET = (t, e) -> { };

    private final List<CountDownLatch> gates = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final List<Contract> contracts = new CopyOnWriteArrayList<>();
    private final List<EventListener> listeners = new CopyOnWriteArrayList<>();

    /** A contract and its first member. */
    record Created(Contract contract, Thread member) {
        int id() {
            return contract.id();
        }
    }

    /** A latch released at the latest when the test ends. */
    CountDownLatch gate() {
        CountDownLatch g = new CountDownLatch(1);
        gates.add(g);
        return g;
    }

    Thread track(Thread t) {
        threads.add(t);
        return t;
    }

    Contract track(Contract c) {
        contracts.add(c);
        return c;
    }

    EventListener track(EventListener l) {
        listeners.add(l);
        return l;
    }

    /**
     * Activates {@code template} on the calling thread, starts {@code body}
     * on a virtual thread (the first member of the new contract), deactivates
     * and returns the control handle of the new contract.
     */
    Created create(ContractTemplate template, Runnable body) {
        try (var active = template.activate()) {
            Thread t = track(ContractThreads.start(Thread.ofVirtual().uncaughtExceptionHandler(QUIET), body));
            return new Created(track(Contracts.latest()), t);
        }
    }

    /** Starts a virtual thread as a fork of the caller (a member starts a child). */
    Thread startChild(Runnable body) {
        return track(ContractThreads.start(Thread.ofVirtual().uncaughtExceptionHandler(QUIET), body));
    }

    /** Starts a platform thread as a fork of the caller. */
    Thread startPlatformChild(Runnable body) {
        return track(ContractThreads.start(Thread.ofPlatform().daemon().uncaughtExceptionHandler(QUIET), body));
    }

    // ------------------------------------------------------------------ waiting

    /** Waits for {@code latch} on the test thread; fails after {@link #WAIT}. */
    static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(WAIT.toMillis(), TimeUnit.MILLISECONDS), "timed out waiting for a latch");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Waits for {@code latch} inside a member; returns false if interrupted (e.g. killed) or timed out. */
    static boolean park(CountDownLatch latch) {
        try {
            return latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            return false;
        }
    }

    /** Joins {@code t}; fails after {@link #WAIT}. */
    static void join(Thread t) {
        try {
            assertTrue(t.join(WAIT), "thread " + t + " did not end in time");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Joins {@code t} inside a member (no assertion: a member's failure shows up in its events). */
    static void joinQuietly(Thread t) {
        try {
            t.join(WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------ events

    /** The next event of contract {@code contractId} on {@code l}, skipping other contracts' events. */
    static ContractEvent next(EventListener l, int contractId) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        for (;;) {
            long left = deadline - System.nanoTime();
            if (left <= 0) fail("no event of contract " + contractId + " within " + WAIT + " on " + l);
            ContractEvent e;
            try {
                e = l.take(Duration.ofNanos(left));
            } catch (TimeoutException t) {
                throw new AssertionError("no event of contract " + contractId + " within " + WAIT + " on " + l, t);
            } catch (InterruptedException t) {
                Thread.currentThread().interrupt();
                throw new AssertionError(t);
            }
            if (e.contractId() == contractId) return e;
        }
    }

    /** Events of contract {@code contractId} on {@code l} up to and including the first of type {@code last}. */
    static List<ContractEvent> until(EventListener l, int contractId, EventType last) {
        List<ContractEvent> out = new ArrayList<>();
        for (;;) {
            ContractEvent e = next(l, contractId);
            out.add(e);
            if (e.type() == last) return out;
        }
    }

    /** The first event of type {@code type} of contract {@code contractId} on {@code l}. */
    @SuppressWarnings("unchecked")
    static <T extends ContractEvent> T first(EventListener l, int contractId, Class<T> type) {
        for (;;) {
            ContractEvent e = next(l, contractId);
            if (type.isInstance(e)) return (T) e;
        }
    }

    /** Every event {@link EventListener#poll()} returns now, of contract {@code contractId}. */
    static List<ContractEvent> drainNow(EventListener l, int contractId) {
        List<ContractEvent> out = new ArrayList<>();
        for (Optional<ContractEvent> e = l.poll(); e.isPresent(); e = l.poll())
            if (e.get().contractId() == contractId) out.add(e.get());
        return out;
    }

    static List<EventType> types(List<ContractEvent> events) {
        return events.stream().map(ContractEvent::type).toList();
    }

    // ------------------------------------------------------------------ cleanup

    @Override
    public void close() {
        ContractTemplate.clear();
        for (EventListener l : listeners) l.close();
        for (CountDownLatch g : gates) g.countDown();
        List<Thread> stuck = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        for (Thread t : threads) {
            try {
                long left = Math.max(1, deadline - System.nanoTime());
                if (!t.join(Duration.ofNanos(left))) stuck.add(t);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (Contract c : contracts) {
            try {
                c.abandon();
            } catch (ContractPermissionException alreadyGone) {
                // abandoned by the test, by its holder's exit, or by a transfer
            }
        }
        if (!stuck.isEmpty()) fail("threads still alive after the test: " + stuck);
    }
}
