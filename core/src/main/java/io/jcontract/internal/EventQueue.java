package io.jcontract.internal;

import io.jcontract.ContractEvent;
import io.jcontract.EventListener;
import io.jcontract.QueueGoneException;
import org.jctools.queues.atomic.MpscUnboundedAtomicArrayQueue;

import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An event queue with any number of listeners, each with its own cursor
 * (illumos {@code ct_equeue_t}): a contract's queue, the bundle of all
 * contracts, or an owner's queue.
 *
 * <h2>Theory of operation</h2>
 * A <em>fan-out</em>: each listener has its own JCTools multi-producer,
 * single-consumer queue ({@code MpscUnboundedAtomicArrayQueue}, the
 * field-updater variant: since JDK 24 {@code sun.misc.Unsafe} memory access
 * warns in every application that loads it), and a producer offers each
 * event into the queue of every listener, lock-free. The event's
 * {@link Published} wrapper is the only allocation per event; a queue with
 * no listener does nothing with an informative event but count it dropped.
 * A listener's queue is its cursor: what is in it, it has yet to read.
 *
 * <p>What a listener must see beyond that lives in two small lists of
 * <em>unacknowledged critical</em> events (only queues that keep them, not a
 * live feed):
 * <ul>
 * <li>{@code pinned}, under {@code lock}: the queue's unacknowledged critical
 *     events in publication order, for listeners that open later ("the
 *     oldest event kept" is the oldest of these). Acknowledged ones are
 *     pruned when the list doubles, and by {@link #trimNow} after an ack.</li>
 * <li>each listener's {@code kept}, under the listener's own lock: the
 *     unacknowledged critical events it has read (a new listener's starts as
 *     a copy of {@code pinned}, unread), so that {@code reset} can replay
 *     them. {@code replayPos} is the next one to read; a read takes from
 *     {@code kept} while {@code replayPos} is short of its end, then from the
 *     listener's queue. Everything in {@code kept} was published before
 *     everything in the queue, so the order holds.</li>
 * </ul>
 * A critical event is published under {@code lock}: added to {@code pinned}
 * and offered to the listeners in one step, so that a listener opening
 * meanwhile ({@link #listen}, which copies {@code pinned} and registers under
 * the same lock) gets it exactly once, from one of the two. An informative
 * event is offered with no lock to the listeners registered when its
 * producer looks ({@code listeners}, a copy-on-write array); a listener that
 * opens meanwhile may miss it, as it would had it opened a moment later.
 * Events of one contract are published under that contract's lock, so they
 * reach every listener of every queue in the same order.
 *
 * <p><b>The capacity bound</b> holds eagerly, per listener, with no reader
 * involved: an ordinary listener whose queue holds {@code capacity} events
 * loses the informative events that arrive, and counts them
 * ({@code dropped}); critical events always go in. The producer reads the
 * listener's consumer index (the reader's cache line) only when its own
 * index reaches {@code limit}, a lower bound of where the queue is full,
 * last computed from the consumer index (any racy copy of it is no larger
 * than the truth, since the consumer index only grows). Reliable listeners
 * lose nothing.
 *
 * <p><b>Blocking reads.</b> A reader registers in its listener's
 * {@code waiters} and bumps {@code waiting} (sequentially consistent), then
 * re-checks the queue ({@code isEmpty} reads the producer index) before it
 * parks; a producer offers (the producer-index CAS), then reads
 * {@code waiting} and unparks the waiters. So either the reader sees the
 * claim, or the producer sees the reader. A claimed slot whose store has not
 * landed is spun on by JCTools' {@code poll}/{@code peek}, never parked on.
 *
 * <p>A <em>live feed</em> (the bundle: {@code keepsCriticalWithoutListeners}
 * false) keeps nothing for later listeners: a new listener reads what is
 * published after it opened, {@code reset} replays nothing, and with no
 * listener it keeps nothing, critical or not (a critical event waits for its
 * acknowledgement in the contract's and the owner's queues).
 *
 * <p>Listeners whose handle becomes unreachable are closed by a
 * {@link Cleaner}: their queue goes with them.
 *
 * <p>Lock order: see {@link io.jcontract.internal the package documentation}.
 * {@code lock} is taken under a contract lock (a critical publish, a trim,
 * {@link #markDead}), and calls nothing out; a listener's own lock is a leaf,
 * taken by its readers only and under no other lock. Nothing holds both.
 */
public final class EventQueue {

    /** Default number of events a listener's queue holds before it loses informative ones. */
    static final int DEFAULT_CAPACITY = Integer.getInteger("jcontract.queue.capacity", 4096);
    /** Elements per chunk of a listener's queue: 64 references, about 4 bytes per event on top of the event. */
    private static final int CHUNK = 64;
    private static final Listener[] NONE = new Listener[0];

    private final String name;
    private final boolean keepsCriticalWithoutListeners;
    private final int capacity;
    private final LongAdder dropped = new LongAdder();
    /** Informative events dropped by every queue since start, for metrics ({@link Telemetry}). */
    private static final LongAdder INFORMATIVE_DROPPED = new LongAdder();
    /** The open listeners; copy-on-write under {@code lock}, read by producers without it. */
    private volatile Listener[] listeners = NONE;
    private volatile boolean dead;

    private final ReentrantLock lock = new ReentrantLock();
    // Guarded by lock.
    /** Unacknowledged critical events, oldest first (never in a live feed); may hold acked ones until pruned. */
    private final ArrayList<Published> pinned = new ArrayList<>(0);
    private int prunePinnedAt = 16;

    EventQueue(String name, boolean keepsCriticalWithoutListeners, int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("event queue capacity " + capacity + " < 1");
        this.name = name;
        this.keepsCriticalWithoutListeners = keepsCriticalWithoutListeners;
        this.capacity = capacity;
    }

    // ------------------------------------------------------------------ producer side

    /** Publishes {@code p}; lock-free for an informative event, callable with a contract lock held. */
    void offer(Published p) {
        if (dead) return;
        if (p.critical && keepsCriticalWithoutListeners) {
            offerPinned(p);
            return;
        }
        Listener[] ls = listeners;
        if (ls.length == 0) {
            countDropped(p);
            return;
        }
        for (Listener l : ls) l.deliver(p);
    }

    /** A critical event of a queue that keeps them: into {@code pinned} and to every listener, atomically with {@link #listen}. */
    private void offerPinned(Published p) {
        lock.lock();
        try {
            if (p.pinned()) {
                pinned.add(p);
                if (pinned.size() >= prunePinnedAt) prunePinnedLocked();
            }
            for (Listener l : listeners) l.deliver(p);
        } finally {
            lock.unlock();
        }
    }

    private void countDropped(Published p) {
        dropped.increment();
        if (!p.critical) INFORMATIVE_DROPPED.increment();
    }

    private void prunePinnedLocked() {
        pinned.removeIf(p -> !p.pinned());
        prunePinnedAt = Math.max(16, 2 * pinned.size());
    }

    /** Marks the queue destroyed: readers get what is left, then {@link QueueGoneException}. */
    void markDead() {
        dead = true;
        for (Listener l : listeners) l.wake();
        trimNow();
    }

    boolean isDead() {
        return dead;
    }

    // ------------------------------------------------------------------ listeners

    /** A new listener positioned at the oldest event kept (a live feed's: at the tail). */
    public EventListener listen(boolean reliable) {
        return listen(reliable, null);
    }

    /**
     * A new listener, positioned as {@link #listen(boolean)}, that sees only
     * the events of contracts authored by {@code identity} (null: all
     * events); how the bundle looks to a thread without
     * {@code contract_observer}.
     */
    public EventListener listen(boolean reliable, String identity) {
        lock.lock();
        try {
            Listener l = new Listener(reliable, identity);
            if (!pinned.isEmpty()) {
                for (Published p : pinned) if (p.pinned() && l.accepts(p)) l.keep(p);
            }
            Listener[] ls = Arrays.copyOf(listeners, listeners.length + 1);
            ls[ls.length - 1] = l;
            listeners = ls;
            return new Handle(l);
        } finally {
            lock.unlock();
        }
    }

    private void unregister(Listener l) {
        lock.lock();
        try {
            Listener[] ls = listeners;
            int i = Arrays.asList(ls).indexOf(l);
            if (i < 0) return;
            Listener[] next = new Listener[ls.length - 1];
            System.arraycopy(ls, 0, next, 0, i);
            System.arraycopy(ls, i + 1, next, i, ls.length - i - 1);
            listeners = next;
        } finally {
            lock.unlock();
        }
    }

    /** Frees acknowledged events kept for later listeners; called after an acknowledgement. */
    void trimNow() {
        lock.lock();
        try {
            prunePinnedLocked();
        } finally {
            lock.unlock();
        }
    }

    /** Events the queue keeps now: for later listeners, plus each listener's unread ones (for status and leak checks). */
    public int retained() {
        int n;
        lock.lock();
        try {
            prunePinnedLocked();
            n = pinned.size();
        } finally {
            lock.unlock();
        }
        for (Listener l : listeners) n += l.unread();
        return n;
    }

    public int listeners() {
        return listeners.length;
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
     * A listener's cursor: its queue, what it keeps for {@code reset}, and its
     * waiters; handed out only inside a {@link Handle}. The fields producers
     * touch ({@code queue}, {@code limit}, {@code waiting}, {@code dropped})
     * are lock-free; {@code kept}, {@code replayPos} and {@code closed} are
     * guarded by {@code readLock}, which only this listener's readers take.
     */
    private final class Listener implements EventListener {
        final boolean reliable;
        final String identity;
        final MpscUnboundedAtomicArrayQueue<Published> queue = new MpscUnboundedAtomicArrayQueue<>(CHUNK);
        /** Producer index below which the queue has room for sure; racy copies are never too large. */
        volatile long limit = capacity;
        final AtomicInteger waiting = new AtomicInteger();
        final ConcurrentLinkedQueue<Thread> waiters = new ConcurrentLinkedQueue<>();
        final AtomicLong lost = new AtomicLong();

        final ReentrantLock readLock = new ReentrantLock();
        // Guarded by readLock (a listener's new kept list is filled before it is published).
        /** Unacknowledged critical events read (before replayPos) or to be read first (from replayPos); null until one is. */
        ArrayList<Published> kept;
        int replayPos, pruneKeptAt = 16;
        boolean closed;

        Listener(boolean reliable, String identity) {
            this.reliable = reliable;
            this.identity = identity;
        }

        boolean accepts(Published p) {
            return identity == null || identity.equals(p.identity);
        }

        /** Producer side: offers {@code p} to this listener, or counts it lost when an ordinary listener's queue is full. */
        void deliver(Published p) {
            if (!accepts(p)) return;
            if (!p.critical && !reliable) {
                long pi = queue.currentProducerIndex();
                if (pi >= limit) {
                    long ci = queue.currentConsumerIndex();
                    limit = ci + capacity;
                    if (pi >= ci + capacity) {
                        lost.incrementAndGet();
                        countDropped(p);
                        return;
                    }
                }
            }
            queue.offer(p);
            if (waiting.get() != 0) wake();
        }

        void wake() {
            for (Thread t : waiters) LockSupport.unpark(t);
        }

        /** An unread event to replay first (a new listener's copy of {@code pinned}); before publication. */
        void keep(Published p) {
            if (kept == null) kept = new ArrayList<>(4);
            kept.add(p);
        }

        int unread() {
            readLock.lock();
            try {
                return closed ? 0 : queue.size() + (kept == null ? 0 : kept.size() - replayPos);
            } finally {
                readLock.unlock();
            }
        }

        /** The next event (critical and unacknowledged only, if asked), consumed if {@code advance}; null if none. */
        private Published readLocked(boolean criticalOnly, boolean advance) {
            if (closed) throw new IllegalStateException("listener on " + name + " is closed");
            boolean wasDead = dead;     // read before looking: all that was offered before the death is then seen
            for (;;) {
                Published p;
                if (kept != null && replayPos < kept.size()) {
                    p = kept.get(replayPos);
                    if (advance) replayPos++;
                } else {
                    p = advance ? queue.poll() : queue.peek();
                    if (p == null) {
                        if (wasDead) throw new QueueGoneException("the event queue of " + name + " is gone");
                        return null;
                    }
                    if (advance && keepsCriticalWithoutListeners && p.pinned()) {
                        keep(p);
                        replayPos = kept.size();
                        if (kept.size() >= pruneKeptAt) pruneKeptLocked();
                    }
                }
                if (criticalOnly && !p.pinned()) continue;      // consumed (criticalOnly reads always advance)
                return p;
            }
        }

        /** Drops acknowledged events from {@code kept}, keeping {@code replayPos} on the same next event. */
        private void pruneKeptLocked() {
            if (kept == null) return;
            int w = 0, pos = replayPos;
            for (int i = 0; i < kept.size(); i++) {
                Published p = kept.get(i);
                if (p.pinned()) kept.set(w++, p);
                else if (i < replayPos) pos--;
            }
            kept.subList(w, kept.size()).clear();
            replayPos = pos;
            pruneKeptAt = Math.max(16, 2 * w);
        }

        private ContractEvent tryRead(boolean criticalOnly, boolean advance) {
            readLock.lock();
            try {
                Published p = readLocked(criticalOnly, advance);
                return p == null ? null : p.event;
            } finally {
                readLock.unlock();
            }
        }

        private ContractEvent await(boolean criticalOnly, Duration timeout)
                throws InterruptedException, TimeoutException {
            long nanos = Timeouts.saturatedNanos(timeout), start = System.nanoTime();
            Thread me = Thread.currentThread();
            for (;;) {
                ContractEvent e = tryRead(criticalOnly, true);
                if (e != null) return e;
                long left = nanos - (System.nanoTime() - start);     // no deadline sum: it would overflow
                if (left <= 0)
                    throw new TimeoutException("no " + (criticalOnly ? "critical " : "")
                            + "event on " + name + " within " + timeout);
                waiters.add(me);
                waiting.incrementAndGet();
                try {
                    if (queue.isEmpty() && !dead) LockSupport.parkNanos(this, left);
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
            readLock.lock();
            try {
                Published p = readLocked(false, false);      // the current event
                if (p == null || p.event.id() != eventId) return false;
                return readLocked(false, true) != null;
            } finally {
                readLock.unlock();
            }
        }

        @Override
        public void reset() {
            readLock.lock();
            try {
                if (closed) throw new IllegalStateException("listener on " + name + " is closed");
                pruneKeptLocked();      // events acknowledged since they were read are not replayed
                replayPos = 0;
            } finally {
                readLock.unlock();
            }
            wake();                     // a take waiting on another thread can read the replay
        }

        @Override
        public long dropped() {
            return lost.get();
        }

        @Override
        public void close() {
            readLock.lock();
            try {
                if (closed) return;
                closed = true;
                kept = null;
                queue.clear();          // as its consumer; a late offer is garbage with the listener
            } finally {
                readLock.unlock();
            }
            unregister(this);
            wake();
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
     * go and it stops counting as a listener. The cleaning action refers to
     * the cursor only.
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
