package io.jcontract.internal;

import io.jcontract.ContractEvent;
import io.jcontract.EventListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.reflect.Field;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue 14, defect 3: JCTools' {@code offer} claims a slot (CAS on the producer index) and stores
 * the element afterwards. A reader that comes between the two must spin on the claimed slot; if it
 * parks instead, and the producer read the waiter count before the reader registered, nobody wakes
 * it. The producer is frozen between its claim and its store by doing the claim by reflection.
 */
@Timeout(60)
class EventQueueWakeupTest {

    @Test
    void aReaderNeverParksOnAClaimedButUnwrittenSlot() throws Exception {
        EventQueue q = new EventQueue("wake-up test", true, EventQueue.DEFAULT_CAPACITY);
        EventListener l = q.listen(false);
        Object cursor = field(l.getClass(), "l").get(l);
        Object inbox = field(cursor.getClass(), "queue").get(cursor);     // the listener's own queue
        Class<?> producerFields = Class.forName("org.jctools.queues.atomic.BaseMpscLinkedAtomicArrayQueueProducerFields");
        Class<?> coldFields = Class.forName("org.jctools.queues.atomic.BaseMpscLinkedAtomicArrayQueueColdProducerFields");
        Field index = field(producerFields, "producerIndex");
        long claimed = index.getLong(inbox);
        assertEquals(0, claimed, "a fresh inbox");
        index.setLong(inbox, claimed + 2);          // the producer's CAS: slot 0 is claimed, not written

        AtomicReference<Object> got = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            try {
                got.set(l.take(Duration.ofSeconds(45)));
            } catch (Throwable t) {
                got.set(t);
            }
        }, "reader");
        reader.setDaemon(true);
        reader.start();
        // Wait until the reader either spins on the slot (inside the inbox's poll) or has parked.
        for (;;) {
            assertTrue(reader.isAlive(), "reader ended early: " + got.get());
            if (spinsOrParks(reader)) break;
            Thread.onSpinWait();
        }
        // The producer's store; it read "no waiters" before the reader registered, so it unparks nobody.
        Published p = new Published(new ContractEvent.Empty(1, 99, true, 5), "test");
        @SuppressWarnings("unchecked")
        AtomicReferenceArray<Object> buffer = (AtomicReferenceArray<Object>) field(coldFields, "producerBuffer").get(inbox);
        buffer.lazySet(0, p);
        reader.join(Duration.ofSeconds(20));
        assertFalse(reader.isAlive(), "the reader parked on a claimed slot and was never woken");
        assertSame(p.event, got.get());
    }

    private static boolean spinsOrParks(Thread t) {
        for (StackTraceElement e : t.getStackTrace()) {
            if (e.getMethodName().startsWith("park")) return true;
            if (e.getClassName().startsWith("org.jctools.") && e.getMethodName().equals("poll")) return true;
        }
        return false;
    }

    private static Field field(Class<?> c, String name) throws NoSuchFieldException {
        Field f = c.getDeclaredField(name);
        f.setAccessible(true);
        return f;
    }
}
