package io.jcontract;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static io.jcontract.EventType.CORE;
import static io.jcontract.EventType.EMPTY;
import static io.jcontract.EventType.EXIT;
import static io.jcontract.EventType.FORK;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What events a contract publishes, with which payload and flags, and where they go (SEMANTICS 1.3, 1.6). */
@Timeout(10)
class EventsTest {
    private final TestSupport ts = new TestSupport();

    @AfterEach
    void cleanUp() {
        ts.close();
    }

    /** A member that waits for {@code go}, then starts {@code children} virtual threads and joins them. */
    private Runnable spawner(CountDownLatch go, int children) {
        return () -> {
            TestSupport.park(go);
            List<Thread> kids = new ArrayList<>();
            for (int i = 0; i < children; i++) kids.add(ts.startChild(() -> { }));
            kids.forEach(TestSupport::joinQuietly);
        };
    }

    private static void assertIncreasingIds(List<ContractEvent> events) {
        for (int i = 1; i < events.size(); i++)
            assertTrue(events.get(i).id() > events.get(i - 1).id(), "event ids must increase: " + events);
    }

    @Test
    void eventsReachTheContractQueueTheBundleAndTheOwnerQueueInTheSameOrder() {
        try (EventListener bundle = Contracts.bundle(); EventListener owner = Contracts.ownerEvents()) {
            CountDownLatch go = ts.gate();
            var c = ts.create(ContractTemplate.process().informative(FORK, EXIT).critical(EMPTY), spawner(go, 4));
            EventListener own = ts.track(c.contract().events());
            go.countDown();

            List<ContractEvent> a = TestSupport.until(own, c.id(), EMPTY);
            List<ContractEvent> b = TestSupport.until(bundle, c.id(), EMPTY);
            List<ContractEvent> o = TestSupport.until(owner, c.id(), EMPTY);

            // bundle and owner queue were listening before the contract existed: they saw everything
            assertEquals(11, b.size(), "FORK of the first member, 4 FORK + 4 EXIT, its EXIT, EMPTY: " + b);
            assertEquals(b, o);
            // the contract's own queue saw everything after it was opened, in the same order
            assertEquals(10, a.size(), "4 FORK + 4 EXIT, EXIT of the first member, EMPTY: " + a);
            List<ContractEvent> tail = b.subList(b.size() - a.size(), b.size());
            assertEquals(tail, a);
            for (int i = 0; i < a.size(); i++) {
                assertSame(tail.get(i), a.get(i), "one event object in every queue");
                assertSame(o.get(o.size() - a.size() + i), a.get(i), "one event object in every queue");
            }
            assertIncreasingIds(b);
            assertIncreasingIds(a);
        }
    }

    @Test
    void forkCarriesChildAndParent() throws Exception {
        try (EventListener owner = Contracts.ownerEvents()) {
            long me = Thread.currentThread().threadId();
            CountDownLatch go = ts.gate();
            var child = new java.util.concurrent.CompletableFuture<Thread>();
            var c = ts.create(ContractTemplate.process().informative(FORK), () -> {
                TestSupport.park(go);
                child.complete(ts.startChild(() -> { }));
            });
            go.countDown();
            var first = assertInstanceOf(ContractEvent.Fork.class, TestSupport.next(owner, c.id()));
            assertAll(
                    () -> assertEquals(c.member().threadId(), first.member()),
                    () -> assertEquals(me, first.parent()),
                    () -> assertEquals(c.id(), first.contractId()),
                    () -> assertEquals(FORK, first.type()),
                    () -> assertFalse(first.critical()));
            var second = assertInstanceOf(ContractEvent.Fork.class, TestSupport.next(owner, c.id()));
            Thread kid = child.get(2, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(kid.threadId(), second.member());
            assertEquals(c.member().threadId(), second.parent());
        }
    }

    @Test
    void exitStatusIsZeroOnNormalReturn() {
        try (EventListener owner = Contracts.ownerEvents()) {
            var c = ts.create(ContractTemplate.process().informative(EXIT), () -> { });
            var exit = TestSupport.first(owner, c.id(), ContractEvent.Exit.class);
            assertEquals(c.member().threadId(), exit.member());
            assertEquals(ContractEvent.Exit.STATUS_OK, exit.status());
            assertEquals(0, exit.status());
            assertNull(exit.cause());
        }
    }

    @Test
    void exitStatusIsOneWithTheCauseOnAnUncaughtThrowable() {
        RuntimeException boom = new IllegalStateException("boom");
        try (EventListener owner = Contracts.ownerEvents()) {
            var c = ts.create(ContractTemplate.process().informative(EXIT, CORE), () -> {
                throw boom;
            });
            List<ContractEvent> events = TestSupport.until(owner, c.id(), EMPTY);
            assertEquals(List.of(CORE, EXIT, EMPTY), TestSupport.types(events));
            var core = (ContractEvent.Core) events.get(0);
            assertSame(boom, core.cause());
            assertEquals(c.member().threadId(), core.member());
            var exit = (ContractEvent.Exit) events.get(1);
            assertEquals(ContractEvent.Exit.STATUS_FAILED, exit.status());
            assertEquals(1, exit.status());
            assertSame(boom, exit.cause());
            assertEquals(c.member().threadId(), exit.member());
        }
    }

    @Test
    void exitStatusIs137AfterAKill() throws Exception {
        try (EventListener owner = Contracts.ownerEvents()) {
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch never = ts.gate();
            var c = ts.create(ContractTemplate.process().informative(EXIT), () -> {
                started.countDown();
                TestSupport.park(never);   // returns normally when interrupted by the kill
            });
            TestSupport.await(started);
            c.contract().kill().awaitEmpty(TestSupport.WAIT);
            var exit = TestSupport.first(owner, c.id(), ContractEvent.Exit.class);
            assertEquals(c.member().threadId(), exit.member());
            assertEquals(ContractEvent.Exit.STATUS_KILLED, exit.status());
            assertEquals(137, exit.status());
            assertEquals(ExitStatus.KILLED, exit.exitStatus(), "the killed status is named");
            assertEquals(true, exit.killed());
            assertEquals(137, ExitStatus.KILLED.code());
            assertEquals(ExitStatus.OK, ExitStatus.of(0));
            assertEquals(ExitStatus.FAILED, ExitStatus.of(1));
            org.junit.jupiter.api.Assertions.assertThrows(InvalidArgumentException.class, () -> ExitStatus.of(2));
            assertEquals(true, io.jcontract.management.EventData.of(exit, false).getSummary().endsWith("status 137 (killed)"),
                    io.jcontract.management.EventData.of(exit, false).getSummary());
        }
    }

    @Test
    void exactlyOneEmptyAndItFollowsTheLastExit() {
        for (int round = 0; round < 20; round++) {
            CountDownLatch ready = new CountDownLatch(1);
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> kids = new java.util.concurrent.CopyOnWriteArrayList<>();
            var c = ts.create(ContractTemplate.process().informative(EXIT).critical(EMPTY), () -> {
                for (int i = 0; i < 8; i++) kids.add(ts.startChild(() -> TestSupport.park(go)));
                ready.countDown();
                TestSupport.park(go);
            });
            TestSupport.await(ready);
            EventListener l = c.contract().events();
            try {
                go.countDown();     // 9 members leave at once
                List<ContractEvent> events = TestSupport.until(l, c.id(), EMPTY);
                assertEquals(9, events.stream().filter(e -> e.type() == EXIT).count(), "round " + round + ": " + events);
                assertEquals(10, events.size(), "round " + round + ": " + events);
                var empty = (ContractEvent.Empty) events.get(9);
                var lastExit = (ContractEvent.Exit) events.get(8);
                assertEquals(lastExit.member(), empty.member(), "EMPTY names the last member that left");
                assertTrue(empty.critical());
                TestSupport.join(c.member());
                kids.forEach(TestSupport::join);
                c.contract().abandon();
                assertEquals(ContractState.DEAD, c.contract().state());
                // nothing after the EMPTY, in particular no second EMPTY, up to the end of the queue
                assertThrows(QueueGoneException.class, l::poll);
            } finally {
                l.close();
            }
        }
    }

    @Test
    void flagsFollowTheTerms() {
        RuntimeException boom = new RuntimeException("flags");
        try (EventListener owner = Contracts.ownerEvents()) {
            // EXIT is in both sets: critical wins; FORK and CORE informative; EMPTY critical
            var c = ts.create(ContractTemplate.process().informative(FORK, EXIT, CORE).critical(EXIT, EMPTY), () -> {
                throw boom;
            });
            List<ContractEvent> events = TestSupport.until(owner, c.id(), EMPTY);
            assertEquals(List.of(FORK, CORE, EXIT, EMPTY), TestSupport.types(events));
            assertFalse(events.get(0).critical());
            assertTrue(events.get(0).informative());
            assertFalse(events.get(1).critical());
            assertTrue(events.get(2).critical());
            assertFalse(events.get(2).informative());
            assertTrue(events.get(3).critical());
            assertEquals(2, c.contract().status().unackedCritical());
        }
    }

    @Test
    void anEmptyNotInTheCriticalSetIsInformative() {
        try (EventListener owner = Contracts.ownerEvents()) {
            var c = ts.create(ContractTemplate.process().informative(EMPTY).critical(), () -> { });
            var empty = TestSupport.first(owner, c.id(), ContractEvent.Empty.class);
            assertTrue(empty.informative());
            assertEquals(0, c.contract().status().unackedCritical());
        }
    }

    @Test
    void eventsOutsideInformativeAndCriticalAreNotSent() {
        RuntimeException boom = new RuntimeException("unsent");
        try (EventListener bundle = Contracts.bundle(); EventListener owner = Contracts.ownerEvents()) {
            var c = ts.create(ContractTemplate.process().informative(EXIT).critical(), () -> {
                TestSupport.joinQuietly(ts.startChild(() -> { }));
                throw boom;
            });
            TestSupport.join(c.member());
            // both members have left: every event of the contract has been published
            List<ContractEvent> seen = TestSupport.drainNow(owner, c.id());
            assertEquals(List.of(EXIT, EXIT), TestSupport.types(seen), "no FORK, CORE or EMPTY: " + seen);
            assertEquals(List.of(EXIT, EXIT), TestSupport.types(TestSupport.drainNow(bundle, c.id())));
            assertTrue(seen.stream().allMatch(ContractEvent::informative));
        }
    }

    @Test
    void eventIdsIncreaseWithinAContract() {
        try (EventListener owner = Contracts.ownerEvents()) {
            CountDownLatch go = ts.gate();
            var c = ts.create(ContractTemplate.process().informative(FORK, EXIT).critical(EMPTY), spawner(go, 16));
            go.countDown();
            List<ContractEvent> events = TestSupport.until(owner, c.id(), EMPTY);
            assertEquals(1 + 16 + 16 + 1 + 1, events.size());
            assertIncreasingIds(events);
            assertTrue(events.stream().allMatch(e -> e.contractId() == c.id()));
        }
    }

    @Test
    void theOwnerQueueShowsOnlyTheHoldersContracts() throws Exception {
        try (EventListener bundle = Contracts.bundle(); EventListener mine = Contracts.ownerEvents()) {
            // a contract held by another thread: in the bundle, not in this thread's owner queue
            var made = new java.util.concurrent.CompletableFuture<Integer>();
            Thread other = Thread.ofPlatform().start(() -> {
                try (var a = ContractTemplate.process().informative(EXIT).activate()) {
                    Thread m = ContractThreads.start(Thread.ofVirtual().uncaughtExceptionHandler(TestSupport.QUIET), () -> { });
                    Contract c = Contracts.latest();
                    m.join();
                    c.abandon();
                    made.complete(c.id());
                } catch (Throwable e) {
                    made.completeExceptionally(e);
                }
            });
            int theirs = made.get(2, java.util.concurrent.TimeUnit.SECONDS);
            TestSupport.join(other);
            var mineC = ts.create(ContractTemplate.process().informative(EXIT), () -> { });
            TestSupport.first(bundle, theirs, ContractEvent.Exit.class);
            // everything in my owner queue up to my contract's EMPTY (published after theirs ended)
            List<ContractEvent> all = new ArrayList<>();
            for (;;) {
                ContractEvent e = mine.take(TestSupport.WAIT);
                all.add(e);
                if (e.contractId() == mineC.id() && e.type() == EMPTY) break;
            }
            assertTrue(all.stream().noneMatch(e -> e.contractId() == theirs),
                    "another holder's events leaked into my owner queue: " + all);
            assertTrue(all.stream().anyMatch(e -> e.contractId() == mineC.id()));
        }
    }
}
