package io.jcontract.internal;

import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.util.LoggingLevel;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The kill/unbind handshake of {@link Member}, model-checked by Lincheck: kills
 * ({@code interruptIfRunning}) and kill rung 3's re-interrupts ({@code reinterruptIfRunning}) race a
 * pooled task's worker, which binds the member, unbinds it, and clears its interrupt flag (as
 * {@link Lifecycle#endTask} does). The handshake's promise is that once {@code unbindRunner} has
 * returned no interrupt aimed at the member is still on its way: so the worker's flag, looked at
 * afterwards ({@code leaked}), is never set. The sequential specification ({@link Spec}) says just
 * that: kills and the task change nothing a later {@code leaked} could see.
 *
 * <p>The worker's operations are one non-parallel group (one thread); a member's task runs once.
 * Interrupts here hit Lincheck's own worker threads, which is why the flag is cleared by the task
 * and looked at only by {@code leaked}.
 */
public class MemberHandshakeLincheckTest {

    static final AtomicLong INSTANCES = new AtomicLong();

    static final int ITERATIONS = 20, INVOCATIONS = 500;

    public static class Handshake {
        /** A worker's member with no contract: the handshake touches neither contract nor credential. */
        final Member m = Member.forWorker(Thread.currentThread(), null, 0, null, 0);

        public Handshake() {
            INSTANCES.incrementAndGet();
        }

        @Operation(nonParallelGroup = "worker", runOnce = true)
        public void runTask() {
            m.bindRunner(Thread.currentThread());
            if (m.killed) Thread.currentThread().interrupt();  // as a task that checks after its bind
            m.unbindRunner();
            Thread.interrupted();                               // the worker clears its flag after the task
        }

        @Operation(nonParallelGroup = "worker")
        public boolean leaked() {
            return Thread.interrupted();                        // reads and clears: each leak is seen once
        }

        @Operation
        public void kill() {
            m.killed = true;
            m.interruptIfRunning();
        }

        @Operation
        public void reinterrupt() {
            m.killed = true;
            m.reinterruptIfRunning();
        }
    }

    /** The promise, sequentially: whatever kills and the task do, nothing reaches the worker after the task. */
    public static class Spec {
        public void runTask() {}

        public boolean leaked() {
            return false;
        }

        public void kill() {}

        public void reinterrupt() {}
    }

    @Test
    void noInterruptReachesTheWorkerAfterUnbind() {
        long before = INSTANCES.get(), start = System.nanoTime();
        new ModelCheckingOptions()
                .iterations(ITERATIONS)
                .invocationsPerIteration(INVOCATIONS)
                .threads(3)
                .actorsPerThread(2)
                .actorsBefore(0)
                .actorsAfter(1)
                .sequentialSpecification(Spec.class)
                .logLevel(LoggingLevel.INFO)
                .check(Handshake.class);
        System.out.printf("[lincheck] Handshake: %d scenarios, %d invocations, %.1f s%n",
                ITERATIONS, INSTANCES.get() - before, (System.nanoTime() - start) / 1e9);
    }
}
