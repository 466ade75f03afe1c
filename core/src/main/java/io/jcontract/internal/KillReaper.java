package io.jcontract.internal;

import io.jcontract.KillReport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Rung 4 of a kill, off the killer's thread: runs a list of steps (stop an
 * owned lifecycle object, shut an owned pool down, close owned channels,
 * close a registered resource), one after the other, each under its own
 * bound, and records how each ended.
 *
 * <h2>Theory of operation</h2>
 * A kill that has steps starts one <em>reaper</em> thread, which starts a
 * <em>runner</em> thread that runs the steps in order. The reaper waits for
 * each step's latch for at most the step's bound; a step that overruns is
 * marked {@link KillReport.Outcome#TIMED_OUT}, its runner is abandoned (it
 * finishes that step, if it ever does, and runs nothing more), and a new
 * runner takes the remaining steps. So a step that hangs costs its bound,
 * never the kill, the caller or the other steps; its runner is interrupted
 * then, so a stop blocked in an interruptible wait does not park forever.
 * Consecutive {@linkplain Step#concurrent concurrent} steps each get a runner
 * at once and are awaited together.
 *
 * <p>Each {@link Slot}'s outcome moves once from RUNNING to a final value by
 * CAS (the runner's DONE/FAILED and the reaper's TIMED_OUT race for it);
 * {@link Outcomes#snapshot} reads the slots without a lock. No lock of any
 * contract is held by either thread. Both are daemon platform threads named
 * {@code jcontract-kill-*}, which the agent never makes members: they act
 * for the JVM, as the kernel does for illumos' {@code contract_kill}.
 */
public final class KillReaper {
    /** The bound of each step: {@code -Djcontract.kill.stepTimeout=<ms>}, 10 s by default (read at each kill). */
    static Duration stepBound() {
        return Duration.ofMillis(Math.max(1, Long.getLong("jcontract.kill.stepTimeout", 10_000L)));
    }
    /** Prefix of the reaper's and runners' names (the agent skips these threads). */
    public static final String THREAD_PREFIX = "jcontract-kill-";

    private KillReaper() {
    }

    /** What a step does; {@code bound} is how long it may take (a stop that takes a time-out uses it). */
    @FunctionalInterface
    interface Action {
        void run(Duration bound) throws Exception;
    }

    /**
     * One step: what it is (for the report) and what to do. Consecutive
     * {@code concurrent} steps (the lifecycle objects' stops) run at the same
     * time, each on its own runner: a library's stop may wait for a thread
     * that only another of its objects' stops ends (Jetty's selector stop
     * waits for its selector thread, which a kill may already have ended,
     * while the pool's stop ends the remaining workers).
     */
    record Step(String what, Action action, boolean concurrent) {
        Step(String what, Action action) {
            this(what, action, false);
        }
    }

    /** The rung-4 record of one kill, filled in as its steps end. */
    static final class Outcomes {
        static final Outcomes NONE = new Outcomes(List.of());
        private final Slot[] slots;

        Outcomes(List<Step> steps) {
            slots = new Slot[steps.size()];
            for (int i = 0; i < slots.length; i++) slots[i] = new Slot(steps.get(i));
        }

        /** Each step as far as it has gone now. */
        List<KillReport.Resource> snapshot() {
            List<KillReport.Resource> out = new ArrayList<>(slots.length);
            for (Slot s : slots) out.add(s.report());
            return out;
        }

        /** Waits (bounded) until every step has ended; for tests and tools. */
        boolean awaitDone(Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            for (Slot s : slots)
                if (!s.done.await(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) return false;
            return true;
        }
    }

    private static final class Slot {
        final Step step;
        final CountDownLatch done = new CountDownLatch(1);
        final AtomicReference<KillReport.Outcome> outcome = new AtomicReference<>(KillReport.Outcome.RUNNING);
        volatile long started, ended;
        volatile String failure = "";

        Slot(Step step) {
            this.step = step;
        }

        void end(KillReport.Outcome o, String why) {
            if (!outcome.compareAndSet(KillReport.Outcome.RUNNING, o)) return;
            if (why != null) failure = why;
            ended = System.nanoTime();
            done.countDown();
        }

        KillReport.Resource report() {
            long s = started, e = ended;
            long took = s == 0 ? 0 : (e != 0 ? e : System.nanoTime()) - s;
            return new KillReport.Resource(step.what(), outcome.get(), Duration.ofNanos(Math.max(0, took)), failure);
        }
    }

    /**
     * Runs {@code steps} off the calling thread, each within {@link #stepBound()}.
     *
     * @param name names the threads ({@code jcontract-kill-<name>})
     * @return the record that fills in as the steps end
     */
    static Outcomes start(String name, List<Step> steps) {
        if (steps.isEmpty()) return Outcomes.NONE;
        Outcomes o = new Outcomes(steps);
        Duration bound = stepBound();
        Thread reaper = new Thread(() -> reap(name, o, bound), THREAD_PREFIX + name);
        reaper.setDaemon(true);
        reaper.start();
        return o;
    }

    private static void reap(String name, Outcomes o, Duration bound) {
        Slot[] slots = o.slots;
        int next = 0;
        int[] runners = {0};
        while (next < slots.length) {
            if (slots[next].step.concurrent()) {
                int end = next;
                while (end < slots.length && slots[end].step.concurrent()) end++;
                List<Thread> threads = new ArrayList<>();
                List<Runner> rs = new ArrayList<>();
                for (int i = next; i < end; i++) {
                    Runner r = new Runner(slots, i, i + 1, bound);
                    rs.add(r);
                    threads.add(startRunner(name, runners, r));
                }
                for (int i = next; i < end; i++) awaitOrAbandon(slots[i], rs.get(i - next), threads.get(i - next), bound);
                next = end;
                continue;
            }
            Runner r = new Runner(slots, next, slots.length, bound);
            Thread t = startRunner(name, runners, r);
            for (; next < slots.length && !slots[next].step.concurrent(); next++) {
                if (!awaitOrAbandon(slots[next], r, t, bound)) {
                    next++;
                    break;
                }
            }
            r.abandoned = true;             // a runner never goes past the sequential steps it was given
        }
    }

    private static Thread startRunner(String name, int[] runners, Runner r) {
        Thread t = new Thread(r, THREAD_PREFIX + name + "-" + (++runners[0]));
        t.setDaemon(true);
        t.start();
        return t;
    }

    /**
     * Waits for {@code s} within its bound; on a time-out the step is reported,
     * its runner abandoned and interrupted (it is the kill's own thread: a stop
     * blocked in an interruptible wait ends instead of parking forever).
     */
    private static boolean awaitOrAbandon(Slot s, Runner r, Thread t, Duration bound) {
        boolean ended;
        try {
            ended = awaitSlot(s, bound);
        } catch (InterruptedException e) {
            ended = false;          // nobody interrupts the reaper; if someone does, move on
        }
        if (ended) return true;
        s.end(KillReport.Outcome.TIMED_OUT, "no return within " + bound.toMillis() + " ms");
        r.abandoned = true;
        t.interrupt();
        return false;
    }

    /** Waits for slot {@code s} to start, then at most the bound for it to end. */
    private static boolean awaitSlot(Slot s, Duration bound) throws InterruptedException {
        long startDeadline = System.nanoTime() + bound.toNanos();
        while (s.started == 0 && s.done.getCount() > 0) {
            if (s.done.await(1, TimeUnit.MILLISECONDS)) return true;
            if (System.nanoTime() - startDeadline > 0) return false;
        }
        long left = bound.toNanos() - (System.nanoTime() - s.started);
        return s.done.await(Math.max(0, left), TimeUnit.NANOSECONDS);
    }

    private static final class Runner implements Runnable {
        private final Slot[] slots;
        private final int from, to;
        private final Duration bound;
        volatile boolean abandoned;

        Runner(Slot[] slots, int from, int to, Duration bound) {
            this.slots = slots;
            this.from = from;
            this.to = to;
            this.bound = bound;
        }

        @Override
        public void run() {
            for (int i = from; i < to && !abandoned; i++) {
                Slot s = slots[i];
                if (i > from && s.step.concurrent()) break;     // concurrent steps get runners of their own
                s.started = System.nanoTime();
                try {
                    s.step.action().run(bound);
                    s.end(KillReport.Outcome.DONE, null);
                } catch (Throwable t) {
                    s.end(KillReport.Outcome.FAILED, t.toString());
                }
                Thread.interrupted();       // a step's interrupt does not reach the next step
            }
        }
    }
}
