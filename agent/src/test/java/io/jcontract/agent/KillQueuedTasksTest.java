package io.jcontract.agent;

import io.jcontract.Contract;
import io.jcontract.ContractTemplate;
import io.jcontract.Contracts;
import io.jcontract.KillReport;
import io.jcontract.StatusDetail;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 12's fork-bomb lead, checked: tasks a member queued in a busy shared pool (one the
 * contract does not own) stop being pending at the kill itself, not when a worker reaches each
 * one. The pool's only worker is held by a task from outside the contract for the whole kill, so
 * EMPTY can only come from the kill; the queued bodies never run, their Futures are cancelled, and
 * the outside task and the pool go on unharmed.
 */
@Timeout(90)
class KillQueuedTasksTest {
    static final int QUEUED = 5_000;

    @Test
    void queuedTasksInABusySharedPoolStopBeingPendingAtTheKill() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(1);       // made outside: shared, not owned
        CountDownLatch blocking = new CountDownLatch(1), release = new CountDownLatch(1);
        Future<?> outside = pool.submit(() -> {
            blocking.countDown();
            release.await();
            return null;
        });
        assertTrue(blocking.await(30, TimeUnit.SECONDS), "the outside task holds the worker");
        AtomicInteger ran = new AtomicInteger();
        List<Future<?>> queued = new ArrayList<>();
        CountDownLatch submitted = new CountDownLatch(1);
        Contract c;
        try (var a = ContractTemplate.process().activate()) {
            Thread submitter = new Thread(() -> {
                for (int i = 0; i < QUEUED; i++) queued.add(pool.submit(ran::incrementAndGet));
                submitted.countDown();
            }, "queue-filler");
            submitter.start();
            c = Contracts.latest();
        }
        try {
            assertTrue(submitted.await(30, TimeUnit.SECONDS), "the member queued its tasks");
            assertEquals(QUEUED, (int) c.view().status(StatusDetail.ALL).pendingTasks(), "pending before the kill");

            KillReport r = c.kill().awaitEmpty(Duration.ofSeconds(30));

            assertTrue(r.empty(), () -> "not EMPTY while the pool's worker is still held: " + r.stragglers());
            assertEquals(0, (int) c.view().status(StatusDetail.ALL).pendingTasks(), "pending after the kill");
            assertTrue(queued.stream().allMatch(Future::isCancelled), "every queued task's Future is cancelled");
            assertTrue(!outside.isDone(), "the outside task was not touched by the kill");
        } finally {
            release.countDown();
        }
        outside.get(30, TimeUnit.SECONDS);                    // the outside task ends normally
        assertEquals(42, pool.submit(() -> 42).get(30, TimeUnit.SECONDS), "the shared pool still works");
        assertEquals(0, ran.get(), "no queued body ran after the kill");
        c.abandon();
        pool.shutdownNow();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
    }
}
