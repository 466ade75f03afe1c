package io.jcontract;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static io.jcontract.EventType.CORE;
import static io.jcontract.EventType.EMPTY;
import static io.jcontract.EventType.EXIT;
import static io.jcontract.EventType.FORK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Listeners, cursors, acknowledgement, trimming and the death of a queue (SEMANTICS 1.6), via the public API. */
@Timeout(10)
class EventQueueTest {
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

    /** Informative FORK and EXIT, critical EXIT and EMPTY: one child gives FORK, EXIT, EXIT, EMPTY. */
    private static ContractTemplate criticalExits() {
        return ContractTemplate.process().informative(FORK).critical(EXIT, EMPTY);
    }

    private static ContractTemplate informativeForkExit() {
        return ContractTemplate.process().informative(FORK, EXIT).critical(EMPTY);
    }

    // ------------------------------------------------------------------ volume (issue 14, defect 2)

    /** JCTools' drain(Consumer) moves at most 4,096 elements: a read must move everything published. */
    @Test
    @Timeout(120)
    void aCriticalEventBehindMoreThan4096InformativeOnesIsRead() throws Exception {
        CountDownLatch go = ts.gate();
        var c = ts.create(ContractTemplate.process().informative(FORK).critical(EMPTY), spawner(go, 5_000));
        EventListener l = ts.track(c.contract().events());
        go.countDown();
        assertTrue(c.member().join(Duration.ofSeconds(100)), "the spawner did not end");
        Optional<ContractEvent> e = l.pollCritical();
        assertTrue(e.isPresent(), "EMPTY was published but pollCritical() found nothing");
        assertInstanceOf(ContractEvent.Empty.class, e.get());
    }

    // ------------------------------------------------------------------ cursors

    @Test
    void twoListenersHaveIndependentCursors() {
        CountDownLatch go = ts.gate();
        var c = ts.create(informativeForkExit(), spawner(go, 3));
        EventListener l1 = ts.track(c.contract().events());
        EventListener l2 = ts.track(c.contract().events());
        go.countDown();
        List<ContractEvent> first = TestSupport.until(l1, c.id(), EMPTY);
        assertTrue(l1.poll().isEmpty());
        List<ContractEvent> second = TestSupport.until(l2, c.id(), EMPTY);
        assertEquals(first, second, "the second listener reads everything the first did");
        assertEquals(8, first.size(), "3 FORK, 3 EXIT, EXIT, EMPTY: " + first);
        assertTrue(l2.poll().isEmpty());
    }

    @Test
    void nonBlockingReadsWithNothingReadySayEmpty() {
        CountDownLatch go = ts.gate();
        var c = ts.create(informativeForkExit(), () -> TestSupport.park(go));
        EventListener l = ts.track(c.contract().events());
        assertEquals(Optional.empty(), l.poll());
        assertEquals(Optional.empty(), l.peek());
        assertEquals(Optional.empty(), l.pollCritical());
        assertFalse(l.next(1));
    }

    @Test
    void takeTimesOut() {
        CountDownLatch go = ts.gate();
        var c = ts.create(informativeForkExit(), () -> TestSupport.park(go));
        EventListener l = ts.track(c.contract().events());
        long t0 = System.nanoTime();
        var e = assertThrows(TimeoutException.class, () -> l.take(Duration.ofMillis(100)));
        assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(100), "take returned before its timeout");
        assertTrue(e.getMessage().contains("contract " + c.id()), e.getMessage());
        assertThrows(TimeoutException.class, () -> l.takeCritical(Duration.ofMillis(20)));
        assertThrows(TimeoutException.class, () -> l.take(Duration.ZERO));
    }

    @Test
    void criticalReadsSkipInformativeAndAcknowledgedEvents() throws Exception {
        try (EventListener owner = Contracts.ownerEvents()) {
            CountDownLatch go = ts.gate();
            var c = ts.create(criticalExits(), spawner(go, 1));
            EventListener l = ts.track(c.contract().events());
            go.countDown();
            // FORK(child) informative, EXIT(child), EXIT(first), EMPTY critical
            List<ContractEvent> all = TestSupport.until(owner, c.id(), EMPTY);
            assertEquals(List.of(FORK, FORK, EXIT, EXIT, EMPTY), TestSupport.types(all));
            ContractEvent exitChild = all.get(2), exitFirst = all.get(3), empty = all.get(4);
            c.contract().ack(exitChild);

            assertEquals(Optional.of(exitFirst), l.pollCritical());
            assertEquals(empty, l.takeCritical(TestSupport.WAIT));
            assertEquals(Optional.empty(), l.pollCritical());
            assertThrows(TimeoutException.class, () -> l.takeCritical(Duration.ofMillis(20)));

            EventListener l2 = ts.track(c.contract().events());
            assertEquals(exitFirst, l2.takeCritical(TestSupport.WAIT));
        }
    }

    @Test
    void resetGoesBackToTheHeadWhichKeepsUnacknowledgedCriticalEvents() {
        CountDownLatch go = ts.gate();
        var c = ts.create(informativeForkExit(), spawner(go, 1));
        EventListener l = ts.track(c.contract().events());
        go.countDown();
        List<ContractEvent> read = TestSupport.until(l, c.id(), EMPTY);
        assertEquals(List.of(FORK, EXIT, EXIT, EMPTY), TestSupport.types(read));
        assertTrue(l.poll().isEmpty());

        l.reset();
        // the informative events every listener has read are gone; the unacknowledged EMPTY stays
        assertSame(read.get(3), l.poll().orElseThrow());
        assertTrue(l.poll().isEmpty());
        EventListener late = ts.track(c.contract().events());
        assertSame(read.get(3), late.poll().orElseThrow(), "a new listener starts at the head too");
    }

    @Test
    void resetSkipsEventsAcknowledgedBeforeEveryListenerReadThem() {
        try (EventListener owner = Contracts.ownerEvents()) {
            CountDownLatch go = ts.gate();
            var c = ts.create(criticalExits(), spawner(go, 1));
            EventListener l = ts.track(c.contract().events());
            go.countDown();
            List<ContractEvent> all = TestSupport.until(owner, c.id(), EMPTY);
            ContractEvent exitChild = all.get(2), exitFirst = all.get(3), empty = all.get(4);
            c.contract().ack(exitChild);
            assertEquals(List.of(FORK, EXIT, EXIT, EMPTY), TestSupport.types(TestSupport.until(l, c.id(), EMPTY)));

            l.reset();
            assertEquals(Optional.of(exitFirst), l.poll());
            assertEquals(Optional.of(empty), l.poll());
            assertEquals(Optional.empty(), l.poll());
        }
    }

    @Test
    void resetAfterAnAckDoesNotRedeliverTheAcknowledgedEvent() {
        CountDownLatch go = ts.gate();
        var c = ts.create(criticalExits(), spawner(go, 1));
        EventListener l = ts.track(c.contract().events());
        go.countDown();
        List<ContractEvent> read = TestSupport.until(l, c.id(), EMPTY);
        assertEquals(List.of(FORK, EXIT, EXIT, EMPTY), TestSupport.types(read));
        c.contract().ack(read.get(1));      // read by every listener (the only one), then acknowledged

        l.reset();
        assertEquals(Optional.of(read.get(2)), l.poll(),
                "after reset the head is the first unacknowledged critical event; the acknowledged EXIT "
                        + read.get(1).id() + " that every listener had read should be trimmed");
        assertEquals(Optional.of(read.get(3)), l.poll());
        assertEquals(Optional.empty(), l.poll());
    }

    @Test
    void nextSkipsOnlyWhenTheIdIsTheCurrentEvent() {
        CountDownLatch go = ts.gate();
        var c = ts.create(informativeForkExit(), spawner(go, 1));
        EventListener l = ts.track(c.contract().events());
        EventListener scout = ts.track(c.contract().events());
        go.countDown();
        List<ContractEvent> ev = TestSupport.until(scout, c.id(), EMPTY);
        assertEquals(4, ev.size());

        assertEquals(Optional.of(ev.get(0)), l.peek());
        assertEquals(Optional.of(ev.get(0)), l.peek(), "peek does not move the cursor");
        assertFalse(l.next(ev.get(1).id()), "not the current event");
        assertFalse(l.next(ev.get(0).id() - 1));
        assertEquals(Optional.of(ev.get(0)), l.peek());
        assertTrue(l.next(ev.get(0).id()));
        assertEquals(Optional.of(ev.get(1)), l.peek());
        assertFalse(l.next(ev.get(0).id()), "already past it");
        assertEquals(Optional.of(ev.get(1)), l.poll());
        assertTrue(l.next(ev.get(2).id()));
        assertTrue(l.next(ev.get(3).id()));
        assertEquals(Optional.empty(), l.peek());
        assertFalse(l.next(ev.get(3).id()));
    }

    // ------------------------------------------------------------------ acknowledgement

    @Test
    void ackOfAnUnknownInformativeOrAcknowledgedEventIsNoSuchEvent() {
        try (EventListener owner = Contracts.ownerEvents()) {
            Contract k = ts.create(ContractTemplate.process(), () -> { }).contract();
            // no child: FORK (informative), EXIT, EMPTY (critical)
            var cc = ts.create(criticalExits(), () -> { });
            List<ContractEvent> all = TestSupport.until(owner, cc.id(), EMPTY);
            assertEquals(List.of(FORK, EXIT, EMPTY), TestSupport.types(all));
            Contract h = cc.contract();

            long unknown = Long.MAX_VALUE - 7;
            var e1 = assertThrows(NoSuchEventException.class, () -> h.ack(unknown));
            assertEquals(ContractError.ESRCH, e1.error());
            assertTrue(e1.getMessage().contains(Long.toString(unknown)), e1.getMessage());

            long fork = all.get(0).id();
            var e2 = assertThrows(NoSuchEventException.class, () -> h.ack(fork));
            assertTrue(e2.getMessage().contains(Long.toString(fork)), e2.getMessage());

            h.ack(all.get(1));
            var e3 = assertThrows(NoSuchEventException.class, () -> h.ack(all.get(1)));
            assertTrue(e3.getMessage().contains(Long.toString(all.get(1).id())), e3.getMessage());

            // another contract's event, through either form
            assertThrows(NoSuchEventException.class, () -> k.ack(all.get(2)));
            assertThrows(NoSuchEventException.class, () -> k.ack(all.get(2).id()));
            assertEquals(1, h.status().unackedCritical(), "the failed acks changed nothing");
        }
    }

    @Test
    void ackOfACriticalEventDecrementsTheUnacknowledgedCount() {
        try (EventListener owner = Contracts.ownerEvents()) {
            CountDownLatch go = ts.gate();
            var c = ts.create(criticalExits(), spawner(go, 1));
            go.countDown();
            List<ContractEvent> all = TestSupport.until(owner, c.id(), EMPTY);
            List<ContractEvent> critical = all.stream().filter(ContractEvent::critical).toList();
            assertEquals(3, critical.size());
            assertEquals(3, c.contract().status().unackedCritical());
            c.contract().ack(critical.get(1));
            assertEquals(2, c.contract().status().unackedCritical());
            c.contract().ack(critical.get(0).id());
            assertEquals(1, c.contract().status().unackedCritical());
            c.contract().ack(critical.get(2));
            assertEquals(0, c.contract().status().unackedCritical());
        }
    }

    @Test
    void abandoningWithMembersLeftOrphansAndAcknowledgesEverything() throws Exception {
        CountDownLatch ready = new CountDownLatch(1);
        CountDownLatch go = ts.gate();
        var c = ts.create(ContractTemplate.process().informative().critical(FORK, EMPTY), () -> {
            ts.startChild(() -> TestSupport.park(go));
            ready.countDown();
            TestSupport.park(go);
        });
        TestSupport.await(ready);
        EventListener l = ts.track(c.contract().events());
        assertEquals(2, c.contract().status().unackedCritical(), "two critical FORKs");

        c.contract().abandon();
        assertEquals(ContractState.ORPHAN, c.contract().state());
        assertEquals(0, c.contract().status().unackedCritical(), "orphaning acknowledges every critical event");
        assertEquals(0L, c.contract().status().ownerId());
        assertEquals(Optional.empty(), l.pollCritical(), "nothing left to acknowledge");
        assertEquals(ContractState.ORPHAN, Contracts.lookup(c.id()).state(), "an orphan is still live");

        go.countDown();      // the members leave: the orphan dies with its last one
        ContractEvent empty = TestSupport.next(l, c.id());
        assertEquals(EMPTY, empty.type());
        assertThrows(QueueGoneException.class, () -> l.take(TestSupport.WAIT));
        assertEquals(ContractState.DEAD, c.contract().state());
        assertEquals(0, c.contract().status().unackedCritical());
        assertThrows(NoSuchContractException.class, () -> Contracts.lookup(c.id()));
    }

    // ------------------------------------------------------------------ dead queues

    @Test
    void aDeadQueueIsReadToItsEndThenGone() {
        CountDownLatch go = ts.gate();
        var c = ts.create(informativeForkExit(), () -> TestSupport.park(go));
        EventListener l = ts.track(c.contract().events());
        go.countDown();
        TestSupport.join(c.member());
        c.contract().abandon();
        assertEquals(ContractState.DEAD, c.contract().state());

        assertEquals(EXIT, l.poll().orElseThrow().type());
        assertEquals(EMPTY, l.poll().orElseThrow().type());
        var gone = assertThrows(QueueGoneException.class, l::poll);
        assertEquals(ContractError.EIDRM, gone.error());
        assertTrue(gone.getMessage().contains("contract " + c.id()), gone.getMessage());
        long t0 = System.nanoTime();
        assertThrows(QueueGoneException.class, () -> l.take(Duration.ofSeconds(5)));
        assertThrows(QueueGoneException.class, () -> l.takeCritical(Duration.ofSeconds(5)));
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(1), "a read on a dead queue must not wait");
        assertThrows(QueueGoneException.class, l::pollCritical);
    }

    @Test
    void aTakeBlockedOnAQueueThatDiesIsWoken() throws Exception {
        CountDownLatch go = ts.gate();
        var c = ts.create(ContractTemplate.process().informative().critical(), () -> TestSupport.park(go));
        EventListener l = ts.track(c.contract().events());
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        CountDownLatch waiting = new CountDownLatch(1);
        Thread reader = Thread.ofVirtual().start(() -> {
            waiting.countDown();
            try {
                l.take(Duration.ofSeconds(10));
                outcome.complete(null);
            } catch (Throwable e) {
                outcome.complete(e);
            }
        });
        TestSupport.await(waiting);
        go.countDown();
        TestSupport.join(c.member());
        c.contract().abandon();      // empty: dies, with no event (nothing is in its sets)
        assertInstanceOf(QueueGoneException.class, outcome.get(2, TimeUnit.SECONDS));
        TestSupport.join(reader);
    }

    // ------------------------------------------------------------------ capacity and trimming

    private static final int CAPACITY = Integer.getInteger("jcontract.queue.capacity", 4096);

    /**
     * Starts, in one contract, enough short-lived children to publish more
     * informative events than a queue keeps; every 500th child dies, which is
     * a critical CORE. Returns what {@code listener} (opened by {@code open}
     * before any of it) reads up to the EMPTY, and the number of events published.
     */
    private record Flood(List<ContractEvent> read, int published, int critical, EventListener listener, Contract c) {
    }

    private Flood flood(boolean reliable) {
        int n = CAPACITY / 2 + 100;
        CountDownLatch go = ts.gate();
        RuntimeException boom = new RuntimeException("flood");
        var c = ts.create(ContractTemplate.process().informative(FORK, EXIT).critical(CORE, EMPTY), () -> {
            TestSupport.park(go);
            List<Thread> kids = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                boolean die = i % 500 == 0;
                kids.add(ContractThreads.start(Thread.ofVirtual().uncaughtExceptionHandler(TestSupport.QUIET), () -> {
                    if (die) throw boom;
                }));
            }
            kids.forEach(TestSupport::joinQuietly);
        });
        EventListener l = ts.track(reliable ? c.contract().reliableEvents() : c.contract().events());
        go.countDown();
        TestSupport.join(c.member());    // everything is published before the listener reads anything
        int cores = (n + 499) / 500;
        int published = n /* FORK */ + n /* EXIT */ + cores + 1 /* EXIT of the first */ + 1 /* EMPTY */;
        assertTrue(published > CAPACITY);
        List<ContractEvent> read = TestSupport.until(l, c.id(), EMPTY);
        return new Flood(read, published, cores + 1, l, c.contract());
    }

    @Test
    void aListenerThatFallsBehindLosesInformativeEventsButNotCriticalOnes() {
        Flood f = flood(false);
        long dropped = f.listener().dropped();
        assertTrue(dropped > 0, "a listener " + f.published() + " events behind with capacity " + CAPACITY
                + " must lose some");
        assertEquals(f.published(), f.read().size() + dropped, "every event is either read or counted as dropped");
        assertTrue(f.read().size() <= CAPACITY + f.critical() + 1, "read " + f.read().size());
        List<ContractEvent> crit = f.read().stream().filter(ContractEvent::critical).toList();
        assertEquals(f.critical(), crit.size(), "critical events are never dropped");
        assertTrue(f.read().stream().filter(e -> e.type() == CORE).allMatch(ContractEvent::critical));
        for (int i = 1; i < f.read().size(); i++)
            assertTrue(f.read().get(i).id() > f.read().get(i - 1).id());
        assertTrue(f.c().status(StatusDetail.ALL).eventsDropped() >= dropped);
    }

    @Test
    void aReliableListenerDropsNothing() {
        Flood f = flood(true);
        assertEquals(0, f.listener().dropped());
        assertEquals(f.published(), f.read().size());
        assertEquals(f.critical(), f.read().stream().filter(ContractEvent::critical).count());
    }

    @Test
    void informativeEventsPublishedWithoutAListenerAreDroppedCriticalOnesKept() {
        var c = ts.create(informativeForkExit(), () -> TestSupport.joinQuietly(ts.startChild(() -> { })));
        TestSupport.join(c.member());
        EventListener l = ts.track(c.contract().events());
        ContractEvent first = l.poll().orElseThrow();
        assertEquals(EMPTY, first.type(), "FORK and EXIT were published with nobody listening");
        assertTrue(first.critical());
        assertEquals(Optional.empty(), l.poll());
        assertEquals(4L, c.contract().status(StatusDetail.ALL).eventsDropped(), "2 FORK + 2 EXIT dropped");
    }

    // ------------------------------------------------------------------ wake-ups

    @Test
    void aBlockedTakeIsWokenByAPublish() throws Exception {
        BlockingQueue<Integer> commands = new LinkedBlockingQueue<>();
        var c = ts.create(ContractTemplate.process().informative(FORK).critical(), () -> {
            try {
                while (commands.take() >= 0) ts.startChild(() -> { });   // each start publishes one FORK
            } catch (InterruptedException e) {
                // ends the loop
            }
        });
        EventListener l = ts.track(c.contract().events());
        long previous = 0;
        try {
            for (int i = 0; i < 300; i++) {
                CompletableFuture<ContractEvent> got = new CompletableFuture<>();
                Runnable read = () -> {
                    try {
                        got.complete(l.take(Duration.ofSeconds(30)));
                    } catch (Throwable e) {
                        got.completeExceptionally(e);
                    }
                };
                Thread reader;
                if (i % 3 == 0) {
                    commands.put(i);
                    reader = Thread.ofVirtual().start(read);
                } else {
                    reader = Thread.ofVirtual().start(read);
                    if (i % 3 == 1) Thread.onSpinWait();
                    commands.put(i);
                }
                ContractEvent e;
                try {
                    e = got.get(2, TimeUnit.SECONDS);     // a lost wake-up leaves the reader parked for 30 s
                } catch (java.util.concurrent.TimeoutException lost) {
                    throw new AssertionError("iteration " + i + ": the reader was not woken by the publish", lost);
                }
                assertEquals(FORK, e.type());
                assertEquals(c.member().threadId(), ((ContractEvent.Fork) e).parent());
                assertTrue(e.id() > previous);
                previous = e.id();
                TestSupport.join(reader);
            }
        } finally {
            commands.put(-1);
        }
        TestSupport.join(c.member());
        assertNotEquals(0, previous);
    }
}
