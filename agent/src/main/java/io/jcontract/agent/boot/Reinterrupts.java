package io.jcontract.agent.boot;

import io.jcontract.internal.InfrastructureRegistry;
import io.jcontract.internal.Lifecycle;
import io.jcontract.internal.Member;

import java.util.ArrayList;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Kill rung 3 without a spin: a killed member that swallowed its interrupt is interrupted again
 * when it blocks (sleep, join, wait, park), but at most once per interval, and the interval
 * doubles from {@link #FIRST_GAP_NANOS} up to {@link #MAX_GAP_NANOS}. A blocking call that comes
 * too early is not interrupted; it blocks as it asked, and the interrupt it was owed is delivered
 * by the re-interrupter thread when its interval ends (so an untimed wait is still woken). A loop
 * that swallows every interrupt therefore iterates about log2(grace / 1 ms) times in a grace
 * period instead of spinning, and is still interrupted as long as it lives.
 *
 * <h2>Theory of operation</h2>
 * {@link #STATES} keeps one {@link State} per thread that runs a killed member (keyed by thread;
 * a state for another member of the same thread, a pool worker's next task, is replaced). A
 * state's {@code next}, {@code gap} and {@code deferred} are guarded by the state's own monitor,
 * which is held for a few field updates and nothing else (no call out while held). A deferred
 * interrupt is queued in {@link #DUE} (lock-free) for the re-interrupter, a daemon thread started
 * lazily as infrastructure (never a member), which wakes at the earliest deadline and delivers
 * through {@code Member.interruptIfRunning}, so a pool worker that moved on to another task is
 * never hit. The re-interrupter's own interrupts are not attributed (no SIGNAL, no contract lock).
 *
 * <p>A virtual thread is never re-interrupted by itself. {@code Thread.interrupt()} runs the NIO
 * interruptor of a blocked channel (which closes it, so the read ends in
 * {@code ClosedByInterruptException}) only when another thread interrupts; a self-interrupt just
 * sets the flag, the channel's park returns at once and its read loop retries it: a spin that never
 * empties the contract. So when an interrupt is due at once for a virtual thread, its state goes to
 * {@link #URGENT} and the re-interrupter delivers it (it drains {@code URGENT} before anything
 * else). The virtual thread parks meanwhile, or its channel is already registered with its
 * interruptor: either way the re-interrupter's interrupt ends the blocking call. A platform
 * thread's channel I/O does not park, so the parking hook never sees it; a platform thread keeps
 * the cheaper self-interrupt.
 */
final class Reinterrupts {
    static final long FIRST_GAP_NANOS = 1_000_000L;
    static final long MAX_GAP_NANOS = 1_000_000_000L;
    private static final ConcurrentHashMap<Thread, State> STATES = new ConcurrentHashMap<>();
    private static final ConcurrentLinkedQueue<State> DUE = new ConcurrentLinkedQueue<>();
    /** Interrupts due at once for virtual threads, delivered by the re-interrupter (see above). */
    private static final ConcurrentLinkedQueue<State> URGENT = new ConcurrentLinkedQueue<>();
    /** Re-interrupts delivered (at once or deferred), for tests and benchmarks. */
    static final AtomicLong DELIVERED = new AtomicLong();
    private static volatile Thread reinterrupter;

    private Reinterrupts() {
    }

    static final class State {
        final Member member;
        long next, gap = FIRST_GAP_NANOS;
        boolean deferred;

        State(Member member, long now) {
            this.member = member;
            this.next = now;
        }

        /** Under the monitor: whether an interrupt is due now; if so the next one is a longer gap away. */
        boolean dueAt(long now) {
            if (now - next < 0) return false;
            next = now + gap;
            gap = Math.min(gap * 2, MAX_GAP_NANOS);
            deferred = false;
            return true;
        }
    }

    /** The calling thread, running killed member {@code m} and not interrupted, is about to block. */
    static void blocking(Thread me, Member m) {
        long now = System.nanoTime();
        State s = STATES.get(me);
        if (s == null || s.member != m) {
            s = new State(m, now);
            STATES.put(me, s);
        }
        boolean now_, defer = false;
        synchronized (s) {
            now_ = s.dueAt(now);
            if (!now_ && !s.deferred) defer = s.deferred = true;
        }
        if (now_ && me.isVirtual()) {
            URGENT.add(s);
            wake();
        } else if (now_) {
            DELIVERED.incrementAndGet();
            me.interrupt();
        } else if (defer) {
            DUE.add(s);
            wake();
        }
    }

    /** {@code t} ended: its state goes. */
    static void forget(Thread t) {
        if (!STATES.isEmpty()) STATES.remove(t);
    }

    static boolean isReinterrupter(Thread t) {
        return t == reinterrupter;
    }

    private static void wake() {
        Thread r = reinterrupter;
        if (r == null) {
            synchronized (Reinterrupts.class) {
                r = reinterrupter;
                if (r == null) {
                    r = new Thread(Reinterrupts::loop, "jcontract-reinterrupter");
                    r.setDaemon(true);
                    InfrastructureRegistry.enter();      // started from a killed member: no fork
                    try {
                        r.start();
                    } finally {
                        InfrastructureRegistry.leave();
                    }
                    reinterrupter = r;
                }
            }
        }
        LockSupport.unpark(r);
    }

    private static void loop() {
        ArrayList<State> waiting = new ArrayList<>();
        for (;;) {
            for (State s; (s = URGENT.poll()) != null; ) deliver(s);
            for (State s; (s = DUE.poll()) != null; ) waiting.add(s);
            long now = System.nanoTime(), sleep = MAX_GAP_NANOS;
            for (int i = waiting.size() - 1; i >= 0; i--) {
                State s = waiting.get(i);
                boolean fire;
                long left;
                synchronized (s) {
                    fire = s.dueAt(now);
                    left = s.next - now;
                }
                if (fire) {
                    waiting.remove(i);
                    deliver(s);
                } else {
                    sleep = Math.min(sleep, left);
                }
            }
            if (!URGENT.isEmpty()) continue;
            if (waiting.isEmpty() && DUE.isEmpty()) LockSupport.park();
            else LockSupport.parkNanos(Math.max(sleep, 100_000L));
        }
    }

    private static void deliver(State s) {
        DELIVERED.incrementAndGet();
        try {
            Lifecycle.reinterrupt(s.member);
        } catch (Throwable x) {
            Bridge.log("re-interrupt failed: " + x);
        }
    }
}
