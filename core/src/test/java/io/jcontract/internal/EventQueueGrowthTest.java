package io.jcontract.internal;

import io.jcontract.ContractEvent;
import io.jcontract.EventListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;


import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue 14, defect 9: the capacity bound of a queue holds eagerly, also when a listener is open
 * but never read, and when a reader asks only for critical events and finds none.
 */
@Timeout(60)
class EventQueueGrowthTest {
    static final int CAPACITY = 64;

    private static Published informative(long id) {
        return new Published(new ContractEvent.Fork(id, 99, false, id, 1), "test");
    }

    /** Events the queue holds: kept for later listeners plus every listener's unread ones. */
    private static int held(EventQueue q) {
        return q.retained();
    }

    @Test
    void anOpenListenerThatIsNeverReadDoesNotLetTheQueueGrowBeyondItsCapacity() throws Exception {
        EventQueue q = new EventQueue("growth test", true, CAPACITY);
        EventListener unread = q.listen(false);
        for (long i = 1; i <= 20_000; i++) q.offer(informative(i));
        assertTrue(held(q) <= 2 * CAPACITY + 1, "the queue holds " + held(q) + " events, capacity " + CAPACITY);
        unread.close();
    }

    /** A listener that its user forgot (never closed, unreachable) is closed by a Cleaner, with its events. */
    @Test
    void aForgottenListenerIsCleanedUpAndItsEventsGo() throws Exception {
        EventQueue q = new EventQueue("forgotten listener test", true, CAPACITY);
        forget(q);
        assertEquals(1, q.listeners());
        assertEquals(CAPACITY / 2, q.retained(), "kept for the listener that has not read them");
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (q.listeners() != 0 && System.nanoTime() < deadline) {
            System.gc();
            java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L);
        }
        assertEquals(0, q.listeners(), "the unreachable listener is still registered");
        assertEquals(0, q.retained(), "its events are still kept");
    }

    private static void forget(EventQueue q) {
        EventListener l = q.listen(false);
        for (long i = 1; i <= CAPACITY / 2; i++) q.offer(informative(i));
        assertTrue(l.peek().isPresent());
    }

    @Test
    void aCriticalOnlyReadThatFindsNothingStillTrimsWhatItPassed() throws Exception {
        EventQueue q = new EventQueue("critical-only test", true, CAPACITY);
        EventListener l = q.listen(false);
        for (long i = 1; i <= CAPACITY / 2; i++) q.offer(informative(i));
        assertTrue(l.pollCritical().isEmpty());
        assertEquals(0, held(q), "every event was passed by the only listener");
        l.close();
    }
}
