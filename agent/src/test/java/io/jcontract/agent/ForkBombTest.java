package io.jcontract.agent;

import io.jcontract.Contract;
import io.jcontract.ContractKilledException;
import io.jcontract.ContractTemplate;
import io.jcontract.Contracts;
import io.jcontract.KillReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 12 item 7, the cgroup selftest's "forkbomb": members that fork as fast as they can,
 * recursively, through platform threads, virtual threads, an executor and CompletableFuture, are
 * all ended by one kill: EMPTY within a bound and no thread of theirs left. The population is
 * capped (a member at the cap waits a millisecond and tries again) so the machine survives.
 */
@Timeout(90)
class ForkBombTest {
    static final int CAP = 400, MAX_FORKS = 20_000;

    @Test
    void oneKillEndsAForkBomb() throws Exception {
        AtomicInteger live = new AtomicInteger(), forks = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4);     // made outside: a shared pool
        CountDownLatch going = new CountDownLatch(1);
        Runnable[] bomb = new Runnable[1];
        bomb[0] = () -> {
            live.incrementAndGet();
            try {
                for (int i = 0; ; i++) {
                    if (live.get() >= CAP || forks.get() >= MAX_FORKS) {
                        Thread.sleep(1);
                        continue;
                    }
                    switch (i & 3) {
                        case 0 -> new Thread(bomb[0], "bomb-p").start();
                        case 1 -> Thread.ofVirtual().name("bomb-v").start(bomb[0]);
                        case 2 -> pool.execute(bomb[0]);
                        default -> CompletableFuture.runAsync(bomb[0]);
                    }
                    if (forks.incrementAndGet() == 2 * CAP) going.countDown();
                }
            } catch (ContractKilledException | InterruptedException | RejectedExecutionException e) {
                // the kill: no more forks
            } finally {
                live.decrementAndGet();
            }
        };
        Contract c;
        try (var a = ContractTemplate.process().activate()) {
            new Thread(bomb[0], "bomb-p").start();
            c = Contracts.latest();
        }
        try {
            assertTrue(going.await(30, TimeUnit.SECONDS), "the bomb forked " + 2 * CAP + " times");
            KillReport r = c.kill().awaitEmpty(Duration.ofSeconds(30));
            assertTrue(r.empty(), () -> "not EMPTY after one kill: " + r.stragglers().size() + " left, e.g. "
                    + r.stragglers().stream().limit(3).toList());
            assertEquals(0, live.get(), "bomb bodies still running after EMPTY");
            List<String> left = Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                    .map(Thread::getName).filter(n -> n.startsWith("bomb-")).toList();
            assertEquals(List.of(), left, "bomb threads alive after EMPTY");
            assertEquals(0, c.view().status(io.jcontract.StatusDetail.ALL).pendingTasks(), "pending tasks");
        } finally {
            c.kill().awaitEmpty(Duration.ofSeconds(10));
            c.abandon();
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        }
    }
}
