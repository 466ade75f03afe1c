package io.jcontract;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue 14, defect 9: threads jcontract did not start that come to own contracts are watched so
 * that their contracts are abandoned when they end, by one watcher for all of them, not a
 * platform thread each.
 */
@Timeout(60)
class ForeignOwnerWatchTest {
    static final int OWNERS = 12;

    private static long watchers() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("jcontract-owner-watch")).count();
    }

    @Test
    void manyForeignOwnersShareOneWatcherAndTheirContractsAreAbandonedWhenTheyEnd() throws Exception {
        long before = watchers();     // another copy of the core (another class loader) has its own
        CountDownLatch made = new CountDownLatch(OWNERS), release = new CountDownLatch(1);
        List<Contract> contracts = new CopyOnWriteArrayList<>();
        List<Thread> owners = new ArrayList<>();
        for (int i = 0; i < OWNERS; i++) {
            Thread t = new Thread(() -> {       // not started by jcontract: a foreign member of the root
                Thread member;
                try (var a = ContractTemplate.process().activate()) {
                    member = ContractThreads.startVirtual(() -> { });
                    contracts.add(Contracts.latest());
                }
                try {
                    member.join();
                    made.countDown();
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "foreign-owner-" + i);
            t.setDaemon(true);
            t.start();
            owners.add(t);
        }
        assertTrue(made.await(30, TimeUnit.SECONDS));
        long added = watchers() - before;
        assertTrue(added <= 1, added + " new watcher threads for " + OWNERS + " foreign owners");
        release.countDown();
        for (Thread t : owners) assertTrue(t.join(Duration.ofSeconds(30)));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (Contract c : contracts) {
            while (c.state() != ContractState.DEAD && System.nanoTime() < deadline) LockSupport.parkNanos(1_000_000);
            assertEquals(ContractState.DEAD, c.state(), "contract " + c.id() + " of an ended foreign owner");
        }
    }
}
