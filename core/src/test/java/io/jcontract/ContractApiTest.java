package io.jcontract;

import static io.jcontract.LifecycleTestKit.awaitIgnoringInterrupts;
import static io.jcontract.LifecycleTestKit.verbose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The API habits of issue 13: the creating call returns the handle, a
 * contract closes like a structured scope, the kill offers a future.
 */
@Timeout(60)
class ContractApiTest {
    private static final Duration LONG = Duration.ofSeconds(20);
    private final LifecycleTestKit.Cleanup cleanup = new LifecycleTestKit.Cleanup();

    @AfterEach
    void cleanUp() {
        cleanup.close();
        ContractTemplate.clear();
    }

    private static void await(CountDownLatch l) throws InterruptedException {
        assertTrue(l.await(LONG.toMillis(), TimeUnit.MILLISECONDS), "latch did not open within " + LONG);
    }

    /** Waits (bounded) until contract {@code id} is gone from the table. */
    private static void awaitDead(int id) throws InterruptedException {
        long deadline = System.nanoTime() + LONG.toNanos();
        while (Contracts.ids().contains(id)) {
            assertTrue(System.nanoTime() < deadline, "contract " + id + " still in the table after " + LONG);
            Thread.sleep(5);        // polling the table, not letting things settle: the loop is bounded
        }
    }

    @Test
    void startReturnsTheHandleOfTheContractItCreated() throws Exception {
        CountDownLatch hold = cleanup.latch(), up = new CountDownLatch(1);
        AtomicInteger ran = new AtomicInteger();
        Contract c = cleanup.contract(verbose().start(Thread.ofVirtual(), () -> {
            ran.set(Contracts.current().id());
            up.countDown();
            awaitIgnoringInterrupts(hold);
        }));
        await(up);
        assertEquals(Contracts.latest().id(), c.id(), "latest() stays, and names the same contract");
        assertFalse(ContractTemplate.isActive(), "start leaves no template active");
        assertEquals(ContractState.OWNED, c.state());
        hold.countDown();
        assertTrue(c.kill().awaitEmpty(LONG).empty());
        assertEquals(c.id(), ran.get(), "the body ran in the contract start returned");
    }

    @Test
    void executeReturnsTheHandleOfAWrappedPoolsTask() throws Exception {
        ExecutorService pool = ContractExecutors.wrap(Executors.newSingleThreadExecutor());
        try {
            CountDownLatch ran = new CountDownLatch(1);
            AtomicInteger in = new AtomicInteger();
            Contract c = cleanup.contract(verbose().execute(pool, () -> {
                in.set(Contracts.current().id());
                ran.countDown();
            }));
            await(ran);
            assertEquals(c.id(), in.get());
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(20, TimeUnit.SECONDS));
        }
    }

    @Test
    void executeOnAnExecutorThatCreatesNoContractSaysSo() {
        AtomicInteger runs = new AtomicInteger();
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
                () -> verbose().execute(Runnable::run, runs::incrementAndGet));
        assertTrue(e.getMessage().contains("created no contract"), e.getMessage());
        assertEquals(1, runs.get());
        assertFalse(ContractTemplate.isActive());
    }

    @Test
    void tryWithResourcesKillsWaitsAndAbandons() throws Exception {
        CountDownLatch up = new CountDownLatch(1), never = cleanup.latch();
        Thread[] member = new Thread[1];
        int id;
        try (Contract c = verbose().start(Thread.ofPlatform(), () -> {
            member[0] = Thread.currentThread();
            up.countDown();
            try {
                never.await();
            } catch (InterruptedException killed) {
                // leave
            }
        })) {
            id = c.id();
            await(up);
        }
        assertFalse(Contracts.ids().contains(id), "close returned once the contract was empty, and it died");
        member[0].join(LONG.toMillis());
        assertFalse(member[0].isAlive(), "the killed member's thread ended");
    }

    @Test
    void closeTwiceAndAfterAbandonDoesNothing() throws Exception {
        Contract c = verbose().start(Thread.ofVirtual(), () -> { });
        KillReport r = c.close(LONG);
        assertTrue(r.empty(), r.toString());
        assertNull(c.close(LONG), "a second close does nothing");
        c.close();

        Contract d = verbose().start(Thread.ofVirtual(), () -> { });
        d.abandon();
        assertNull(d.close(LONG));
        assertThrows(InvalidArgumentException.class, () -> d.close(Duration.ofSeconds(-1)));
    }

    @Test
    void closeThatOutlivesTheGraceAbandonsAndThrowsWithTheStragglers() throws Exception {
        CountDownLatch up = new CountDownLatch(1), hold = cleanup.latch();
        Contract c = verbose().start(Thread.ofPlatform(), () -> {
            up.countDown();
            awaitIgnoringInterrupts(hold);              // ignores the kill
        });
        await(up);
        KillTimeoutException e = assertThrows(KillTimeoutException.class, () -> c.close(Duration.ofMillis(50)));
        assertEquals(ContractError.ETIME, e.error());
        assertEquals(1, e.report().stragglers().size(), e.report().toString());
        assertFalse(e.report().empty());
        assertEquals(ContractState.ORPHAN, Contracts.lookup(c.id()).state(), "abandoned, not leaked as held");
        assertNull(c.close(LONG), "no longer held");
        hold.countDown();
        awaitDead(c.id());
    }

    @Test
    void theKillsFutureCompletesWithTheReportWhenEmpty() throws Exception {
        CountDownLatch up = new CountDownLatch(1), never = cleanup.latch();
        Contract c = cleanup.contract(verbose().start(Thread.ofVirtual(), () -> {
            up.countDown();
            try {
                never.await();
            } catch (InterruptedException killed) {
                // leave
            }
        }));
        await(up);
        CompletableFuture<KillReport> f = c.kill().whenEmpty(LONG);
        KillReport r = f.get(LONG.toSeconds(), TimeUnit.SECONDS);
        assertTrue(r.empty(), r.toString());
        assertEquals(c.id(), r.contractId());
    }

    @Test
    void theKillsFutureEndsWithinItsTimeoutAndCancellingEndsItsThread() throws Exception {
        CountDownLatch up = new CountDownLatch(1), hold = cleanup.latch();
        Contract c = cleanup.contract(verbose().start(Thread.ofPlatform(), () -> {
            up.countDown();
            awaitIgnoringInterrupts(hold);
        }));
        await(up);
        Contract.KillHandle kill = c.kill();
        KillReport late = kill.whenEmpty(Duration.ofMillis(20)).get(LONG.toSeconds(), TimeUnit.SECONDS);
        assertFalse(late.empty(), "a straggler: the future completes at its timeout, with it");
        assertEquals(1, late.stragglers().size());

        CompletableFuture<KillReport> f = kill.whenEmpty(Duration.ofDays(1));
        Thread watch = watchThread(c.id());
        assertTrue(f.cancel(true));
        watch.join(LONG.toMillis());
        assertFalse(watch.isAlive(), "cancelling the future ends its watch thread");
        assertThrows(InvalidArgumentException.class, () -> kill.whenEmpty(null));
        hold.countDown();
        assertTrue(kill.awaitEmpty(LONG).empty());
    }

    private static Thread watchThread(int id) throws InterruptedException {
        String name = "jcontract-kill-" + id + "-watch";
        long deadline = System.nanoTime() + LONG.toNanos();
        while (true) {
            for (Thread t : Thread.getAllStackTraces().keySet())
                if (t.getName().equals(name)) return t;
            assertTrue(System.nanoTime() < deadline, "no thread " + name);
            Thread.sleep(5);
        }
    }
}
