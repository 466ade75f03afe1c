package io.jcontract.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jcontract.ContractEvent;
import io.jcontract.Contracts;

import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Thread subclasses whose {@code run()} has the shapes that stress the
 * weaver's two frames (see HookWeaver): a loop starting at the first
 * instruction (an original frame at offset 0), a try/catch/finally (original
 * handlers must keep precedence over nothing), a synchronized body, and a
 * {@code run()} that calls {@code super.run()}. Each must be woven (a member
 * of the contract, not of the root) and behave exactly as written; app
 * classes are verified by the JVM, so a bad frame fails the load.
 */
@Timeout(30)
class WeaverTest {
    static final class LoopFirst extends Thread {
        final AgentTest.Run run;
        int turns;

        LoopFirst(AgentTest.Run run) {
            this.run = run;
        }

        @Override
        public void run() {
            while (turns < 3) turns++;
            run.note();
        }
    }

    static final class Guarded extends Thread {
        final AgentTest.Run run;
        final AtomicInteger trace;

        Guarded(AgentTest.Run run, AtomicInteger trace) {
            this.run = run;
            this.trace = trace;
        }

        @Override
        public void run() {
            try {
                run.note();
                throw new IllegalStateException("caught inside run");
            } catch (IllegalStateException e) {
                trace.addAndGet(1);
            } finally {
                trace.addAndGet(10);
            }
        }
    }

    static final class Locked extends Thread {
        final AgentTest.Run run;

        Locked(AgentTest.Run run) {
            this.run = run;
        }

        @Override
        public synchronized void run() {
            run.note();
        }
    }

    static final class CallsSuper extends Thread {
        final AgentTest.Run run;

        CallsSuper(AgentTest.Run run, Runnable task) {
            super(task);
            this.run = run;
        }

        @Override
        public void run() {
            run.note();
            super.run();
        }
    }

    @Test
    void everyRunShapeIsWovenAndBehavesAsWritten() throws Exception {
        AgentTest.Run[] r = new AgentTest.Run[1];
        AtomicInteger trace = new AtomicInteger();
        LoopFirst[] loop = new LoopFirst[1];
        try (AgentTest.Run run = r[0] = new AgentTest.Run(() -> {
            Thread[] ts = {loop[0] = new LoopFirst(r[0]), new Guarded(r[0], trace), new Locked(r[0]),
                    new CallsSuper(r[0], () -> r[0].note())};
            for (Thread t : ts) t.start();
            for (Thread t : ts) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }
        })) {
            run.untilEmpty();
            assertEquals(Set.of(run.contract.view().id()), run.ids, () -> run.seen.toString());
            assertEquals(5, run.count(ContractEvent.Exit.class), () -> run.seen.toString());
            assertTrue(run.seen.stream().filter(e -> e instanceof ContractEvent.Exit)
                    .allMatch(e -> ((ContractEvent.Exit) e).status() == 0), () -> run.seen.toString());
            assertEquals(3, loop[0].turns);
            assertEquals(11, trace.get(), "catch then finally, each once");
            assertTrue(Contracts.current().id() != run.contract.view().id());
        }
    }
}
