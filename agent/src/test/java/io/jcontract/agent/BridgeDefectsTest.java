package io.jcontract.agent;

import io.jcontract.ContractEvent;
import io.jcontract.Contracts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RecursiveAction;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static io.jcontract.agent.AgentTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 14's defects in the agent's bridge (4, 7, 8): each test failed before its fix. */
@Timeout(60)
class BridgeDefectsTest {

    /** Defect 4: {@code FutureTask.done()} runs after the task left its contract, so it cannot fork as it. */
    @Test
    void doneCallbacksDoNotForkAsTheExitedTask() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        AtomicInteger contractInDone = new AtomicInteger(-1);
        Thread[] child = new Thread[1];
        CountDownLatch doneRan = new CountDownLatch(1);
        try (AgentTest.Run run = new AgentTest.Run(() -> pool.execute(new FutureTask<>(() -> 1) {
            @Override
            protected void done() {
                contractInDone.set(Contracts.current().id());
                child[0] = new Thread(() -> { });
                child[0].start();
                doneRan.countDown();
            }
        }))) {
            run.untilEmpty();
            await(doneRan);
            child[0].join();
            assertNotEquals(run.contract.view().id(), contractInDone.get(), "done() ran as the exited task's member");
            Optional<ContractEvent> after = run.events.poll();
            assertTrue(after.isEmpty(), () -> "an event after EMPTY: " + after + " (all: " + run.seen + ")");
        } finally {
            pool.shutdown();
        }
    }

    /** Defect 7: the same Runnable queued from two contracts runs as each submitter's member, in queue order. */
    @Test
    void oneRunnableQueuedFromTwoContractsIsChargedToEach() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        CountDownLatch gate = new CountDownLatch(1);
        List<String> order = new CopyOnWriteArrayList<>();
        int[] ids = new int[2];
        Runnable shared = () -> order.add("task in " + Contracts.current().id());
        pool.execute(() -> await(gate));
        CountDownLatch queuedA = new CountDownLatch(1), queuedB = new CountDownLatch(1);
        try (AgentTest.Run a = new AgentTest.Run(() -> {
            pool.execute(shared);
            queuedA.countDown();
        })) {
            a.go();
            await(queuedA);
            pool.execute(() -> order.add("marker"));
            try (AgentTest.Run b = new AgentTest.Run(() -> {
                pool.execute(shared);
                queuedB.countDown();
            })) {
                b.go();
                await(queuedB);
                ids[0] = a.contract.view().id();
                ids[1] = b.contract.view().id();
                b.contract.kill();                    // B's queued run must not run; A's must
                gate.countDown();
                CountDownLatch drained = new CountDownLatch(1);
                pool.execute(drained::countDown);
                await(drained);
                assertEquals(List.of("task in " + ids[0], "marker"), order);
            }
        } finally {
            pool.shutdown();
        }
    }

    /** Defect 8: a kill of an outer ForkJoin task's contract does not interrupt an inner task of another. */
    @Test
    void aKillOfTheOuterTaskDoesNotInterruptAnInnerTaskOfAnotherContract() throws Exception {
        ForkJoinPool outerPool = new ForkJoinPool(1), innerPool = new ForkJoinPool(1);
        CountDownLatch innerGate = new CountDownLatch(1), innerRunning = new CountDownLatch(1),
                release = new CountDownLatch(1), innerQueued = new CountDownLatch(1), outerDone = new CountDownLatch(1);
        AtomicBoolean innerInterrupted = new AtomicBoolean();
        innerPool.execute(() -> await(innerGate));       // keeps the inner task queued in its own pool
        RecursiveAction inner = new RecursiveAction() {
            @Override
            protected void compute() {
                innerRunning.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    innerInterrupted.set(true);
                }
            }
        };
        try (AgentTest.Run y = new AgentTest.Run(() -> {
            innerPool.execute(inner);
            innerQueued.countDown();
        })) {
            y.go();
            await(innerQueued);
            try (AgentTest.Run x = new AgentTest.Run(() -> outerPool.execute(new RecursiveAction() {
                @Override
                protected void compute() {
                    try {
                        inner.invoke();                   // the worker runs Y's task nested in X's
                    } finally {
                        outerDone.countDown();
                    }
                }
            }))) {
                x.go();
                await(innerRunning);
                x.contract.kill();
                release.countDown();
                await(outerDone);
                assertFalse(innerInterrupted.get(), "the kill of the outer task's contract interrupted the inner task");
                y.untilEmpty();
                assertEquals(0, y.count(ContractEvent.Signal.class), () -> y.seen.toString());
            }
        } finally {
            innerGate.countDown();
            outerPool.shutdown();
            innerPool.shutdown();
        }
    }
}
