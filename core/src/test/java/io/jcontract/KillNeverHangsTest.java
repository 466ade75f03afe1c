package io.jcontract;

import static io.jcontract.LifecycleTestKit.await;
import static io.jcontract.LifecycleTestKit.awaitIgnoringInterrupts;
import static io.jcontract.LifecycleTestKit.verbose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 12 item 5 and issue 14 defect 13 (resources): kill() never hangs on
 * what it closes, awaitEmpty keeps its time-out, the report's elapsed time is
 * the emptying's, a resource registered twice is closed once, and resources
 * of a contract abandoned without a kill are closed and not kept.
 */
@Timeout(60)
class KillNeverHangsTest {
    private final LifecycleTestKit.Cleanup cleanup = new LifecycleTestKit.Cleanup();
    private final CountDownLatch never = new CountDownLatch(1);

    @AfterEach
    void cleanUp() throws InterruptedException {
        never.countDown();
        cleanup.close();
        ContractTemplate.clear();
    }

    /** A contract with one member that waits on {@code hold}; {@code swallow}: it ignores interrupts. */
    private Contract oneMember(CountDownLatch hold, boolean swallow) {
        CountDownLatch up = cleanup.latch();
        Contract c;
        try (var active = verbose().activate()) {
            cleanup.thread(ContractThreads.startPlatform(() -> {
                up.countDown();
                if (swallow) {
                    awaitIgnoringInterrupts(hold);
                } else {
                    try {
                        hold.await();
                    } catch (InterruptedException killed) {
                        // leave
                    }
                }
            }));
            c = cleanup.contract(Contracts.latest());
        }
        await(up);
        return c;
    }

    private static void blockForever(CountDownLatch never) {
        awaitIgnoringInterrupts(never);
    }

    @Test
    void killReturnsAtOnceAndAwaitEmptyKeepsItsTimeoutWhileAResourceHangs() throws Exception {
        CountDownLatch hold = cleanup.latch(), closing = new CountDownLatch(1);
        Contract c = oneMember(hold, false);
        c.register(() -> {
            closing.countDown();
            blockForever(never);
        });
        CompletableFuture<KillReport> killed = CompletableFuture.supplyAsync(() -> {
            try {
                return c.kill().awaitEmpty(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        KillReport report = killed.get(20, TimeUnit.SECONDS);       // a kill that hangs fails here
        assertTrue(report.empty(), report.toString());
        assertTrue(closing.await(10, TimeUnit.SECONDS), "the resource was closed (and hangs)");
    }

    @Test
    void elapsedIsTheEmptyingNotTheWait() throws Exception {
        CountDownLatch hold = cleanup.latch();
        Contract c = oneMember(hold, false);
        Contract.KillHandle h = c.kill();
        KillReport first = h.awaitEmpty(Duration.ofSeconds(10));
        assertTrue(first.empty(), first.toString());
        long t0 = System.nanoTime();
        while (System.nanoTime() - t0 < 50_000_000L) LockSupport.parkNanos(5_000_000L);   // time has to pass
        KillReport later = h.awaitEmpty(Duration.ofSeconds(10));
        assertEquals(first.elapsed(), later.elapsed(), "the emptying took what it took, however late one asks");
    }

    @Test
    void aResourceRegisteredTwiceIsClosedOnce() throws Exception {
        CountDownLatch hold = cleanup.latch(), after = new CountDownLatch(1);
        Contract c = oneMember(hold, false);
        AtomicInteger closes = new AtomicInteger();
        AutoCloseable r = closes::incrementAndGet;
        c.register(r);
        c.register(r);
        c.register(after::countDown);                 // closed after r: r's closes are all done by then
        c.kill().awaitEmpty(Duration.ofSeconds(10));
        assertTrue(after.await(10, TimeUnit.SECONDS));
        assertEquals(1, closes.get(), "registered twice, closed once");
    }

    @Test
    void resourcesOfAContractAbandonedWithoutAKillAreClosedAndReleased() throws Exception {
        CountDownLatch hold = cleanup.latch(), closed = new CountDownLatch(1);
        CountDownLatch up = cleanup.latch();
        Contract c;
        Thread member;
        try (var active = verbose().activate()) {
            member = cleanup.thread(ContractThreads.startPlatform(() -> {
                up.countDown();
                await(hold);
            }));
            c = Contracts.latest();
        }
        await(up);
        Object[] payload = {new byte[1 << 20]};
        WeakReference<Object> gone = new WeakReference<>(payload[0]);
        c.register(new AutoCloseable() {
            Object keep = payload[0];

            @Override
            public void close() {
                keep = null;
                closed.countDown();
            }
        });
        payload[0] = null;
        hold.countDown();
        LifecycleTestKit.join(member);
        c.abandon();                                  // empty: it dies without any kill
        assertTrue(closed.await(10, TimeUnit.SECONDS), "the resource of a contract that died was closed");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (gone.get() != null && System.nanoTime() - deadline < 0) {
            System.gc();
            LockSupport.parkNanos(10_000_000L);
        }
        assertTrue(gone.get() == null, "nothing keeps the resource of a dead contract (handle still held: " + c + ")");
    }

    @Test
    void aCloseThatThrowsOrHangsIsInTheReport() throws Exception {
        String old = System.getProperty("jcontract.kill.stepTimeout");
        System.setProperty("jcontract.kill.stepTimeout", "300");
        try {
            CountDownLatch hold = cleanup.latch(), last = new CountDownLatch(1);
            Contract c = oneMember(hold, false);
            c.register(() -> {
                throw new java.io.IOException("close failed");
            });
            c.register(() -> blockForever(never));
            c.register(last::countDown);
            Contract.KillHandle h = c.kill();
            assertTrue(last.await(20, TimeUnit.SECONDS), "the close after a hanging one still ran");
            KillReport r = h.awaitEmpty(Duration.ofSeconds(10));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (r.resources().size() == 3 && r.resources().get(2).outcome() == KillReport.Outcome.RUNNING
                    && System.nanoTime() - deadline < 0) {
                LockSupport.parkNanos(1_000_000L);
                r = h.awaitEmpty(Duration.ofSeconds(10));
            }
            assertTrue(r.empty(), r.toString());
            assertEquals(3, r.resources().size(), r.toString());
            assertEquals(KillReport.Outcome.FAILED, r.resources().get(0).outcome());
            assertTrue(r.resources().get(0).failure().contains("close failed"), r.toString());
            assertEquals(KillReport.Outcome.TIMED_OUT, r.resources().get(1).outcome(), r.toString());
            assertEquals(KillReport.Outcome.DONE, r.resources().get(2).outcome(), r.toString());
        } finally {
            if (old == null) System.clearProperty("jcontract.kill.stepTimeout");
            else System.setProperty("jcontract.kill.stepTimeout", old);
        }
    }
}
