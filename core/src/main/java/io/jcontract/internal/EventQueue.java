package io.jcontract.internal;

import io.jcontract.ContractEvent;
import io.jcontract.EventListener;
import io.jcontract.QueueGoneException;
import org.jctools.queues.atomic.MpscUnboundedAtomicArrayQueue;

import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An event queue with any number of listeners, each with its own cursor
 * (illumos {@code ct_equeue_t}): a contract's queue, the bundle of all
 * contracts, or an owner's queue.
 *
 * <h2>Theory of operation</h2>
 * The queue has two halves. Producers (members forking and exiting, on any
 * thread) only {@link #offer} into a JCTools multi-producer inbox: no lock,
 * no allocation beyond the inbox's chunks. The inbox is JCTools' atomic
 * (field-updater) variant, not its {@code sun.misc.Unsafe} one: since JDK 24
 * Unsafe memory access prints a warning in every application that loads it,
 * and later JDKs deny it by default. Everything else happens on the
 * reader side, under {@code lock}, which only listeners (and trimming) take:
 * the inbox is drained into the <em>log</em>, a singly linked list of nodes
 * in publication order, each with a sequence number local to this queue.
 * A listener's cursor is the sequence number of the next event it will
 * read, plus a hint node to resume from.
 *
 * <p>Invariants, all under {@code lock}:
 * <ul>
 * <li>Sequence numbers increase along the log; a removed node is unlinked
 *     and marked, and no cursor hint is trusted once its node is removed.</li>
 * <li>A node is removed ("trimmed") when every listener is past it and it is
 *     informative or acknowledged, or, when the log holds more than
 *     {@code capacity} nodes, when it is informative and every reliable
 *     listener is past it. Unacknowledged critical events are never removed
 *     while the queue lives, except from a live feed (below).</li>
 * <li>A listener that finds a gap between its cursor and the next node lost
 *     those events to the capacity bound and counts them as dropped.</li>
 * </ul>
 * The bound holds eagerly: a producer that finds the inbox over
 * {@code capacity} drains and trims if the reader lock is free, so an open
 * listener that is never read cannot make the queue grow (but a reliable
 * one keeps what it has not read, and unacknowledged critical events stay).
 * An informative event offered while the queue has no listener is dropped
 * at once; the bundle, which is a live feed, drops critical ones too.
 *
 * <p>A <em>live feed</em> (the bundle: {@code keepsCriticalWithoutListeners}
 * false) also differs for its listeners: a new one starts at the tail, not
 * the head ("from now on"), {@code reset} goes back no further than where it
 * started, and nothing in it is pinned, because a critical event waits for
 * its acknowledgement in the contract's and the owner's queues, where it can
 * be acknowledged, not in the bundle. A feed whose new listeners started at
 * the head would never trim while listeners overlap in time (each opened
 * before the previous one finished): each new one would take up the oldest
 * position still held.
 *
 * <p>Blocking readers park after registering in {@code waiters}; a producer
 * unparks them after its offer. A reader records the inbox's producer index
 * {@code seen} before looking and re-checks it after registering. The look
 * ({@link #drainLocked}) takes every element claimed up to a producer index
 * at least {@code seen}, spinning on a claimed slot whose store has not
 * landed, never parking on it. So an offer whose claim (the producer-index
 * CAS) precedes the reading of {@code seen} is read by the look; one whose
 * claim follows it either changes the index before the re-check (the reader
 * does not park) or follows the reader's registration, and then its
 * producer, which reads the waiter count after its store, unparks the
 * reader. Both sides use sequentially consistent atomics (the producer-index
 * CAS and the waiter count).
 *
 * <p>Lock order: see {@link io.jcontract.internal the package documentation}.
 * A contract's lock may be held while offering (lock-free) and while
 * trimming or marking the queue dead ({@link #trimNow}, {@link #markDead});
 * the queue lock is innermost and nothing is called under it.
 */
public final class EventQueue {

    /** Default number of nodes the log keeps before dropping informative events. */
    static final int DEFAULT_CAPACITY = Integer.getInteger("jcontract.queue.capacity", 4096);

    private final String name;
    private final boolean keepsCriticalWithoutListeners;
    private final int capacity;
    private final MpscUnboundedAtomicArrayQueue<Published> inbox = new MpscUnboundedAtomicArrayQueue<>(64);
    private final LongAdder dropped = new LongAdder();
    /** Informative events dropped by every queue since start, for metrics ({@link Telemetry}). */
    private static final LongAdder INFORMATIVE_DROPPED = new LongAdder();
    private final ConcurrentLinkedQueue<Thread> waiters = new ConcurrentLinkedQueue<>();
    private final AtomicInteger waiting = new AtomicInteger();
    private volatile int listenerCount;
    private volatile boolean dead;

    private final ReentrantLock lock = new ReentrantLock();
    // Everything below is guarded by lock.
    private final ArrayList<Listener> listeners = new ArrayList<>(2);
    private Node head, tail;
    private long nextSeq;
    /** Nodes in the log, and how many of them are critical (the capacity trim cannot drop those). */
    private int size, criticalSize;

    EventQueue(String name, boolean keepsCriticalWithoutListeners, int capacity) {
        this.name = name;
        this.keepsCriticalWithoutListeners = keepsCriticalWithoutListeners;
        this.capacity = capacity;
    }

    static final class Node {
        final Published item;
        final long seq;
        Node next;
        boolean removed;

        Node(Published item, long seq) {
            this.item = item;
            this.seq = seq;
        }
    }

    // ------------------------------------------------------------------ producer side

    /** Publishes {@code p}; lock-free, callable with a contract lock held. */
    void offer(Published p) {
        if (dead) return;
        if (listenerCount == 0 && !(p.critical && keepsCriticalWithoutListeners)) {
            dropped.increment();
            if (!p.critical) INFORMATIVE_DROPPED.increment();
            return;
        }
        inbox.offer(p);
        if (waiting.get() != 0) wakeAll();
        if (inbox.size() > capacity) trimFromProducer();
    }

    /**
     * The inbox outgrew the capacity because nobody reads (a listener is
     * open but idle): the producer moves it into the log and trims, so the
     * bound holds eagerly. Only if the reader lock is free at once: a
     * producer never waits for a reader, and a reader that holds the lock
     * drains anyway. Allowed under a contract lock (the queue lock is
     * innermost).
     */
    private void trimFromProducer() {
        if (!lock.tryLock()) return;
        try {
            drainLocked();
            trimLocked();
        } finally {
            lock.unlock();
        }
    }

    private void wakeAll() {
        for (Thread t : waiters) LockSupport.unpark(t);
    }

    /** Marks the queue destroyed: readers get what is left, then {@link QueueGoneException}. */
    void markDead() {
        dead = true;
        wakeAll();
        trimNow();
    }

    boolean isDead() {
        return dead;
    }

    // ------------------------------------------------------------------ reader side

    /** A new listener positioned at the head of the queue. */
    public EventListener listen(boolean reliable) {
        return listen(reliable, null);
    }

    /**
     * A new listener positioned at the head of the queue that sees only the
     * events of contracts authored by {@code identity} (null: all events);
     * how the bundle looks to a thread without {@code contract_observer}.
     */
    public EventListener listen(boolean reliable, String identity) {
        lock.lock();
        try {
            drainLocked();
            // a live feed's listener starts at the tail, the others at the oldest event kept
            long start = !keepsCriticalWithoutListeners || head == null ? nextSeq : head.seq;
            Listener l = new Listener(reliable, identity, start);
            listeners.add(l);
            listenerCount = listeners.size();
            return new Handle(l);
        } finally {
            lock.unlock();
        }
    }

    /** Drains the inbox and trims; used when events were acknowledged with nobody reading. */
    void trimNow() {
        lock.lock();
        try {
            drainLocked();
            trimLocked();
        } finally {
            lock.unlock();
        }
    }

    /** Events the queue keeps now (after a trim): for status and leak checks. */
    public int retained() {
        lock.lock();
        try {
            drainLocked();
            trimLocked();
            return size + inbox.size();
        } finally {
            lock.unlock();
        }
    }

    public int listeners() {
        return listenerCount;
    }

    public long dropped() {
        return dropped.sum();
    }

    static long informativeDroppedTotal() {
        return INFORMATIVE_DROPPED.sum();
    }

    String name() {
        return name;
    }

    /**
     * Moves everything claimed in the inbox so far into the log. A strict
     * {@code poll} loop, not {@code drain}: JCTools' {@code drain(Consumer)}
     * stops after 4,096 elements, and its relaxed reads stop at a slot a
     * producer has claimed but not written yet, where this loop spins until
     * the store lands (the producer is between two instructions of its
     * {@code offer}). So when this returns, every offer whose claim came
     * before the call is in the log.
     */
    private void drainLocked() {
        for (Published p; (p = inbox.poll()) != null; ) appendLocked(p);
    }

    private void appendLocked(Published p) {
        if (listeners.isEmpty() && !(p.pinned() && keepsCriticalWithoutListeners)) {
            dropped.increment();
            if (!p.critical) INFORMATIVE_DROPPED.increment();
            return;
        }
        Node n = new Node(p, nextSeq++);
        if (tail == null) head = tail = n;
        else tail = tail.next = n;
        size++;
        if (p.critical) criticalSize++;
    }

    /** Whether this queue must keep {@code n} whoever has read it: an unacknowledged critical event, except in a live feed. */
    private boolean pinnedLocked(Node n) {
        return keepsCriticalWithoutListeners && n.item.pinned();
    }

    private void unlinkLocked(Node prev, Node n) {
        if (prev == null) head = n.next;
        else prev.next = n.next;
        if (tail == n) tail = prev;
        n.removed = true;
        size--;
        if (n.item.critical) criticalSize--;
    }

    private void trimLocked() {
        long min = nextSeq, minReliable = nextSeq;
        for (Listener l : listeners) {
            min = Math.min(min, l.cursor);
            if (l.reliable) minReliable = Math.min(minReliable, l.cursor);
        }
        Node prev = null;
        for (Node n = head; n != null && n.seq < min; ) {
            Node next = n.next;
            if (pinnedLocked(n)) prev = n;
            else unlinkLocked(prev, n);
            n = next;
        }
        // over capacity, informative events go first; a log of critical events only is not walked
        if (size > capacity) {
            prev = null;
            for (Node n = head; n != null && size > capacity && size > criticalSize && n.seq < minReliable; ) {
                Node next = n.next;
                if (!n.item.critical) {
                    unlinkLocked(prev, n);
                    dropped.increment();
                    INFORMATIVE_DROPPED.increment();
                } else prev = n;
                n = next;
            }
        }
    }

    /** The node a listener reads next, or null; counts the listener's drops. */
    private Node findLocked(Listener l, boolean criticalOnly) {
        drainLocked();
        Node n = (l.hint != null && !l.hint.removed) ? l.hint.next : head;
        while (n != null) {
            if (n.seq < l.cursor) {
                n = n.next;
                continue;
            }
            if (n.seq > l.cursor) {         // the gap was trimmed for capacity while l lagged
                l.dropped += n.seq - l.cursor;
                l.cursor = n.seq;
            }
            if ((criticalOnly && !n.item.pinned()) || (l.identity != null && !l.identity.equals(n.item.identity))) {
                l.cursor = n.seq + 1;
                l.hint = n;
                n = n.next;
                continue;
            }
            return n;
        }
        if (l.cursor < nextSeq) {           // trailing events trimmed while l lagged
            l.dropped += nextSeq - l.cursor;
            l.cursor = nextSeq;
        }
        return null;
    }

    /** A listener's cursor and state; handed out only inside a {@link Handle}. */
    private final class Listener implements EventListener {
        final boolean reliable;
        final String identity;
        /** How far back {@code reset} goes: where a live feed's listener started (0: the head). */
        final long start;
        long cursor;
        Node hint;
        long dropped;
        boolean closed;

        Listener(boolean reliable, String identity, long cursor) {
            this.reliable = reliable;
            this.identity = identity;
            this.cursor = cursor;
            this.start = keepsCriticalWithoutListeners ? 0 : cursor;
        }

        private ContractEvent readLocked(boolean criticalOnly, boolean advance) {
            if (closed) throw new IllegalStateException("listener on " + name + " is closed");
            Node n = findLocked(this, criticalOnly);
            if (n == null) {
                if (advance) trimLocked();      // the cursor may have passed events that nobody else needs
                if (dead) throw new QueueGoneException("the event queue of " + name + " is gone");
                return null;
            }
            if (advance) {
                cursor = n.seq + 1;
                hint = n;
                trimLocked();
            }
            return n.item.event;
        }

        private ContractEvent tryRead(boolean criticalOnly, boolean advance) {
            lock.lock();
            try {
                return readLocked(criticalOnly, advance);
            } finally {
                lock.unlock();
            }
        }

        private ContractEvent await(boolean criticalOnly, Duration timeout)
                throws InterruptedException, TimeoutException {
            long nanos = Timeouts.saturatedNanos(timeout), start = System.nanoTime();
            Thread me = Thread.currentThread();
            for (;;) {
                long seen = inbox.currentProducerIndex();
                ContractEvent e = tryRead(criticalOnly, true);
                if (e != null) return e;
                long left = nanos - (System.nanoTime() - start);     // no deadline sum: it would overflow
                if (left <= 0)
                    throw new TimeoutException("no " + (criticalOnly ? "critical " : "")
                            + "event on " + name + " within " + timeout);
                waiters.add(me);
                waiting.incrementAndGet();
                try {
                    if (inbox.currentProducerIndex() == seen && !dead) LockSupport.parkNanos(this, left);
                } finally {
                    waiting.decrementAndGet();
                    waiters.remove(me);
                }
                if (Thread.interrupted()) throw new InterruptedException();
            }
        }

        @Override
        public ContractEvent take(Duration timeout) throws InterruptedException, TimeoutException {
            return await(false, timeout);
        }

        @Override
        public ContractEvent takeCritical(Duration timeout) throws InterruptedException, TimeoutException {
            return await(true, timeout);
        }

        @Override
        public Optional<ContractEvent> poll() {
            return Optional.ofNullable(tryRead(false, true));
        }

        @Override
        public Optional<ContractEvent> pollCritical() {
            return Optional.ofNullable(tryRead(true, true));
        }

        @Override
        public Optional<ContractEvent> peek() {
            return Optional.ofNullable(tryRead(false, false));
        }

        @Override
        public boolean next(long eventId) {
            lock.lock();
            try {
                ContractEvent e = readLocked(false, false);     // the current event (filtered as reads are)
                if (e == null || e.id() != eventId) return false;
                return readLocked(false, true) != null;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void reset() {
            lock.lock();
            try {
                if (closed) throw new IllegalStateException("listener on " + name + " is closed");
                drainLocked();
                trimLocked();       // events acknowledged since they were read are not replayed
                cursor = head == null ? nextSeq : Math.max(head.seq, start);
                hint = null;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public long dropped() {
            lock.lock();
            try {
                return dropped;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void close() {
            lock.lock();
            try {
                if (closed) return;
                closed = true;
                hint = null;
                listeners.remove(this);
                listenerCount = listeners.size();
                drainLocked();
                trimLocked();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public String toString() {
            return (reliable ? "reliable listener on " : "listener on ") + name;
        }
    }

    /**
     * What a listener's user holds. The queue keeps only the {@link Listener}
     * (the cursor), never the handle, so a handle its user forgot becomes
     * unreachable, and a {@link Cleaner} then closes the cursor: its events
     * are trimmed and it stops counting as a listener. The cleaning action
     * refers to the cursor only.
     */
    private static final class Handle implements EventListener {
        private final Listener l;
        private final Cleaner.Cleanable cleanable;

        Handle(Listener l) {
            this.l = l;
            this.cleanable = Cleaning.CLEANER.register(this, l::close);
        }

        @Override
        public ContractEvent take(Duration timeout) throws InterruptedException, TimeoutException {
            try {
                return l.take(timeout);
            } finally {
                Reference.reachabilityFence(this);
            }
        }

        @Override
        public ContractEvent takeCritical(Duration timeout) throws InterruptedException, TimeoutException {
            try {
                return l.takeCritical(timeout);
            } finally {
                Reference.reachabilityFence(this);
            }
        }

        // Each call keeps the handle reachable until the cursor is done: else the
        // Cleaner could close the cursor under a call still running on it.
        @Override
        public Optional<ContractEvent> poll() {
            try {
                return l.poll();
            } finally {
                Reference.reachabilityFence(this);
            }
        }

        @Override
        public Optional<ContractEvent> pollCritical() {
            try {
                return l.pollCritical();
            } finally {
                Reference.reachabilityFence(this);
            }
        }

        @Override
        public Optional<ContractEvent> peek() {
            try {
                return l.peek();
            } finally {
                Reference.reachabilityFence(this);
            }
        }

        @Override
        public boolean next(long eventId) {
            try {
                return l.next(eventId);
            } finally {
                Reference.reachabilityFence(this);
            }
        }

        @Override
        public void reset() {
            try {
                l.reset();
            } finally {
                Reference.reachabilityFence(this);
            }
        }

        @Override
        public long dropped() {
            try {
                return l.dropped();
            } finally {
                Reference.reachabilityFence(this);
            }
        }

        @Override
        public void close() {
            cleanable.clean();          // runs l.close() once, now
        }

        @Override
        public String toString() {
            return l.toString();
        }
    }

    /** The Cleaner of forgotten listeners, made (with its daemon thread) when the first listener is. */
    private static final class Cleaning {
        static final Cleaner CLEANER = Cleaner.create();
    }

    @Override
    public String toString() {
        return "event queue of " + name;
    }
}
