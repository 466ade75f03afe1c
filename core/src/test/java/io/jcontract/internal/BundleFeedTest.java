package io.jcontract.internal;

import io.jcontract.ContractEvent;
import io.jcontract.EventListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bundle is a live feed ({@code Contracts.bundle()}: "the events of every process contract from
 * now on"). Found by the jcstress gate (EventOrderTest timed out with 0 samples): a new bundle
 * listener started at the log's head, so while listeners overlapped in time (each opened before the
 * previous one was read and closed) the head never moved. The bundle kept every event of every
 * contract, and each read walked all of it: the reads slowed from 40 ms a round to 5 s.
 * A fresh queue with the bundle's settings stands for the table's own, which other tests share.
 */
@Timeout(60)
class BundleFeedTest {
    private static final int CAPACITY = 4096;

    private static EventQueue bundleLike() {
        return new EventQueue("bundle test", false, CAPACITY);
    }

    private static Published critical(long id) {
        return new Published(new ContractEvent.Empty(id, 7, true, id), "test");
    }

    private static Published informative(long id) {
        return new Published(new ContractEvent.Fork(id, 7, false, id, 1), "test");
    }

    @Test
    void aNewBundleListenerSeesOnlyEventsPublishedAfterItOpened() {
        EventQueue q = bundleLike();
        try (EventListener early = q.listen(false)) {
            q.offer(critical(1));                    // unacknowledged: its contract still lives
            q.offer(informative(2));
            try (EventListener late = q.listen(false)) {
                assertTrue(late.poll().isEmpty(), "a listener opened after the events reads them");
                q.offer(informative(3));
                assertEquals(3, late.poll().orElseThrow().id());
                late.reset();                        // a live feed replays nothing, and nothing from before it opened
                assertTrue(late.poll().isEmpty(), "the reset replayed an event of the live feed");
                q.offer(informative(4));
                assertEquals(4, late.poll().orElseThrow().id());
            }
            assertEquals(1, early.poll().orElseThrow().id());
        }
    }

    @Test
    void listenersThatOverlapInTimeDoNotPinTheBundle() {
        for (boolean critical : new boolean[] {false, true}) {
            EventQueue q = bundleLike();
            EventListener previous = q.listen(false);
            for (long i = 1; i <= 5_000; i++) {
                EventListener next = q.listen(false);   // opened before the previous one is done
                Published p = critical ? critical(i) : informative(i);
                q.offer(p);
                p.acked = true;                      // its contract died: nobody can acknowledge it now
                while (previous.poll().isPresent()) { }
                previous.close();
                previous = next;
            }
            assertTrue(q.retained() <= 1, (critical ? "critical" : "informative") + " events: the bundle keeps "
                    + q.retained() + " events that only the one open listener, which has read none, could want");
            previous.close();
        }
    }
}
