package io.jcontract.agent;

import io.jcontract.Contract;
import io.jcontract.ContractTemplate;
import io.jcontract.Contracts;
import io.jcontract.KillReport;
import io.jcontract.StatusDetail;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue 14, defect 1: a kill interrupts its victims while {@code status(ALL)} (or the post-mortem
 * writer) walks the same members. Under the agent the interrupt hook asks the target's contract
 * whether the sender holds it; neither side may hold what the other waits for.
 */
@Timeout(120)
class KillVsStatusTest {
    static final int ROUNDS = 40, MEMBERS = 100;

    @Test
    void killWhileStatusAllReadsTheMembersNeverDeadlocks() throws Exception {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        for (int round = 0; round < ROUNDS; round++) {
            CountDownLatch started = new CountDownLatch(MEMBERS);
            Contract c;
            try (var a = ContractTemplate.process().activate()) {
                new Thread(() -> {
                    for (int i = 0; i < MEMBERS; i++) {
                        new Thread(() -> {
                            started.countDown();
                            try {
                                Thread.sleep(60_000);
                            } catch (InterruptedException expected) {
                                // the kill
                            }
                        }).start();
                    }
                }).start();
                c = Contracts.latest();
            }
            assertTrue(started.await(30, TimeUnit.SECONDS), "members did not start");
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<Throwable> reader = new AtomicReference<>();
            Thread status = new Thread(() -> {
                try {
                    while (!stop.get()) c.status(StatusDetail.ALL);
                } catch (Throwable t) {
                    reader.set(t);
                }
            }, "status-reader");
            status.setDaemon(true);
            status.start();
            Thread killer = new Thread(() -> c.kill(), "killer");
            killer.setDaemon(true);
            killer.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (killer.isAlive() && System.nanoTime() < deadline) {
                killer.join(100);
                long[] dead = mx.findDeadlockedThreads();
                if (dead != null) fail("deadlock in round " + round + ":\n" + describe(mx, dead));
            }
            assertFalse(killer.isAlive(), "kill did not return in round " + round);
            stop.set(true);
            status.join(20_000);
            assertFalse(status.isAlive(), "status(ALL) did not return in round " + round);
            assertNull(reader.get());
            KillReport r = c.kill().awaitEmpty(Duration.ofSeconds(30));
            assertTrue(r.empty(), "contract did not empty: " + r);
            c.abandon();
        }
    }

    private static String describe(ThreadMXBean mx, long[] ids) {
        StringBuilder b = new StringBuilder();
        for (ThreadInfo i : mx.getThreadInfo(ids, true, true)) b.append(i);
        return b.toString();
    }
}
