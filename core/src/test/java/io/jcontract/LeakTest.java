package io.jcontract;

import static io.jcontract.LifecycleTestKit.first;
import static io.jcontract.LifecycleTestKit.is;
import static io.jcontract.LifecycleTestKit.join;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * 100,000 short-lived members in 1,000 contracts, with listeners opened and
 * closed on the way: afterwards the table holds nothing more than before.
 * The baseline is measured in the test because the table is global and
 * other tests may have left (documented) state behind.
 */
@Timeout(60)
class LeakTest {
    private static final int CONTRACTS = 1_000;
    private static final int MEMBERS = 100;

    @Test
    void aHundredThousandShortLivedMembersLeaveNothingBehind() throws Exception {
        TableStats before = Contracts.stats();
        Set<Integer> created = new HashSet<>();
        AtomicInteger ran = new AtomicInteger();
        AtomicInteger wrongContract = new AtomicInteger();
        long start = System.nanoTime();

        for (int i = 0; i < CONTRACTS; i++) {
            Contract c;
            Thread firstMember;
            EventListener bundle = i % 10 == 0 ? Contracts.bundle() : null;
            try (var active = ContractTemplate.process().cookie(i).activate()) {
                firstMember = ContractThreads.startVirtual(() -> {
                    int mine = Contracts.current().id();
                    List<Thread> others = new ArrayList<>(MEMBERS - 1);
                    for (int k = 1; k < MEMBERS; k++) {
                        others.add(ContractThreads.startVirtual(() -> {
                            ran.incrementAndGet();
                            if (Contracts.current().id() != mine) wrongContract.incrementAndGet();
                        }));
                    }
                    ran.incrementAndGet();
                    for (Thread t : others) {
                        try {
                            t.join();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                });
                c = Contracts.latest();
            }
            created.add(c.id());
            // EMPTY is critical by default, so the contract's queue keeps it for a listener opened late.
            try (EventListener events = c.events()) {
                ContractEvent empty = first(events, c.id(), is(EventType.EMPTY));
                if (i % 2 == 0) c.ack(empty);   // the others are acknowledged by abandon
            }
            if (bundle != null) bundle.close();
            c.abandon();
            assertEquals(ContractState.DEAD, c.state());
            join(firstMember);
        }
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;

        assertEquals(CONTRACTS * MEMBERS, ran.get());
        assertEquals(0, wrongContract.get(), "every member ran in its own contract");
        assertEquals(CONTRACTS, created.size(), "ids are not reused");

        // "No more than before": state other tests left behind may have gone meanwhile, never come.
        TableStats after = Contracts.stats();
        String change = before + " -> " + after;
        assertTrue(after.liveContracts() <= before.liveContracts(), "live contracts: " + change);
        assertTrue(after.members() <= before.members(), "members: " + change);
        assertEquals(0, after.pendingTasks(), "pending tasks: " + change);
        assertTrue(after.listeners() <= before.listeners(), "listeners: " + change);
        assertTrue(after.retainedEvents() <= before.retainedEvents(), "retained events: " + change);
        List<Integer> live = Contracts.ids();
        assertTrue(live.stream().noneMatch(created::contains), "created contracts still live: "
                + live.stream().filter(created::contains).toList());
        assertTrue(elapsedMs < 30_000, "took " + elapsedMs + " ms");
    }
}
