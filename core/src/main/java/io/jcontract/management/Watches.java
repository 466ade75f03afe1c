package io.jcontract.management;

import io.jcontract.ContractEvent;
import io.jcontract.Contracts;
import io.jcontract.EventListener;
import io.jcontract.InvalidArgumentException;
import io.jcontract.QueueGoneException;
import io.jcontract.internal.Monitoring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server side of {@code ctwatch}: event listeners opened for a JMX
 * client, each read through a cursor the client polls.
 *
 * <h2>Theory of operation</h2>
 * A watch owns one {@link EventListener} per watched contract, or one on
 * the bundle for "every contract", opened on the JMX caller's thread so the
 * API's rules apply (observing others' contracts needs
 * {@code contract_observer}, a reliable listener {@code contract_event}).
 * A poll drains what is ready from each listener, and if nothing is, waits
 * on them (on several, in short turns) until the poll's timeout.
 *
 * <p>A listener keeps the informative events it has not read (a reliable
 * one without bound), so a watch must not outlive its client. JMX does not
 * tell an MBean that a client went away; instead every watch not polled
 * for the idle timeout ({@code jcontract.watch.idleMillis}, default 60 s)
 * is closed by a daemon reaper, and a poll that waits longer than half of
 * it is cut short, so a client that keeps polling is never reaped.
 */
final class Watches {
    static final long IDLE_MILLIS = Long.getLong("jcontract.watch.idleMillis", 60_000L);
    /** At most this many watches at once: a client that leaks them hits a clear error, not the heap. */
    static final int MAX_WATCHES = 64;

    private static final Map<Long, Watch> WATCHES = new ConcurrentHashMap<>();
    private static final AtomicLong NEXT = new AtomicLong(1);
    private static volatile ScheduledExecutorService reaper;

    private Watches() {
    }

    /** A listener on one contract's queue (id) or on the bundle (id 0). */
    private static final class Source {
        final int contractId;
        final EventListener listener;
        boolean gone;

        Source(int contractId, EventListener listener) {
            this.contractId = contractId;
            this.listener = listener;
        }
    }

    private static final class Watch {
        final long id;
        final List<Source> sources;
        volatile long lastUsed = System.nanoTime();
        volatile boolean polling;
        boolean closed;

        Watch(long id, List<Source> sources) {
            this.id = id;
            this.sources = sources;
        }

        synchronized void close() {
            if (closed) return;
            closed = true;
            for (Source s : sources) s.listener.close();
        }
    }

    static long open(int[] ids, boolean reliable, boolean fromHead) {
        reap();
        if (WATCHES.size() >= MAX_WATCHES)
            throw new IllegalStateException(WATCHES.size() + " watches are open, the most allowed: close one "
                    + "(closeWatch) or let idle ones time out after " + IDLE_MILLIS + " ms");
        List<Source> sources = new ArrayList<>();
        try {
            if (ids == null || ids.length == 0) {
                sources.add(new Source(0, Monitoring.bundle(reliable)));
            } else {
                for (int id : ids) {
                    if (sources.stream().anyMatch(s -> s.contractId == id)) continue;
                    var view = Contracts.lookup(id);
                    sources.add(new Source(id, reliable ? view.reliableEvents() : view.events()));
                }
            }
        } catch (RuntimeException e) {
            for (Source s : sources) s.listener.close();
            throw e;
        }
        if (!fromHead) {
            for (Source s : sources) {
                while (s.listener.poll().isPresent()) {
                    // events from before the watch opened are not reported (ctwatch without -f)
                }
            }
        }
        Watch w = new Watch(NEXT.getAndIncrement(), sources);
        WATCHES.put(w.id, w);
        startReaper();
        return w.id;
    }

    static WatchBatch poll(long watchId, int max, long timeoutMillis) throws InterruptedException {
        if (max <= 0) throw new InvalidArgumentException("max " + max + " is not positive");
        if (timeoutMillis < 0) throw new InvalidArgumentException("negative timeout " + timeoutMillis);
        Watch w = WATCHES.get(watchId);
        if (w == null) throw new InvalidArgumentException("no open watch has id " + watchId
                + " (closed, or idle for more than " + IDLE_MILLIS + " ms)");
        synchronized (w) {
            if (w.closed) throw new InvalidArgumentException("watch " + watchId + " is closed");
            w.polling = true;
            try {
                return read(w, max, Math.min(timeoutMillis, IDLE_MILLIS / 2));
            } finally {
                w.polling = false;
                w.lastUsed = System.nanoTime();
            }
        }
    }

    private static WatchBatch read(Watch w, int max, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        List<ContractEvent> got = new ArrayList<>();
        for (;;) {
            for (Source s : w.sources) {
                while (!s.gone && got.size() < max) {
                    try {
                        Optional<ContractEvent> e = s.listener.poll();
                        if (e.isEmpty()) break;
                        got.add(e.get());
                    } catch (QueueGoneException gone) {
                        s.gone = true;
                    }
                }
            }
            List<Source> open = w.sources.stream().filter(s -> !s.gone).toList();
            long left = deadline - System.nanoTime();
            if (!got.isEmpty() || open.isEmpty() || left <= 0) break;
            // Nothing ready: wait on the one listener, or on each in turn for a short slice.
            long slice = open.size() == 1 ? left : Math.min(left, TimeUnit.MILLISECONDS.toNanos(50));
            for (Source s : open) {
                try {
                    got.add(s.listener.take(Duration.ofNanos(Math.max(1, slice))));
                    break;
                } catch (TimeoutException nothing) {
                    // try the next one
                } catch (QueueGoneException gone) {
                    s.gone = true;
                }
                if (System.nanoTime() - deadline >= 0) break;
            }
        }
        got.sort(Comparator.comparingLong(ContractEvent::id));
        EventData[] events = new EventData[got.size()];
        for (int i = 0; i < events.length; i++) events[i] = EventData.of(got.get(i), knownAcked(got.get(i)));
        long dropped = 0;
        for (Source s : w.sources) dropped += s.listener.dropped();
        int[] gone = w.sources.stream().filter(s -> s.gone && s.contractId != 0).mapToInt(s -> s.contractId).toArray();
        boolean ended = w.sources.stream().allMatch(s -> s.gone);
        return new WatchBatch(events, dropped, gone, ended);
    }

    /** See {@link EventData#isAcked()}. */
    private static boolean knownAcked(ContractEvent e) {
        return Monitoring.acknowledged(e.contractId(), e.id(), e.critical());
    }

    static void close(long watchId) {
        Watch w = WATCHES.remove(watchId);
        if (w == null) throw new InvalidArgumentException("no open watch has id " + watchId);
        w.close();
    }

    static int count() {
        reap();
        return WATCHES.size();
    }

    /** Closes the watches nobody polled for the idle timeout. */
    static void reap() {
        long now = System.nanoTime();
        for (Watch w : WATCHES.values()) {
            if (!w.polling && now - w.lastUsed > TimeUnit.MILLISECONDS.toNanos(IDLE_MILLIS)
                    && WATCHES.remove(w.id, w)) {
                w.close();
            }
        }
    }

    private static void startReaper() {
        if (reaper != null) return;
        synchronized (Watches.class) {
            if (reaper != null) return;
            ScheduledThreadPoolExecutor ex = new ScheduledThreadPoolExecutor(1,
                    Thread.ofPlatform().daemon().name("jcontract-watch-reaper").factory());
            long period = Math.max(10, IDLE_MILLIS / 4);
            ex.scheduleWithFixedDelay(Watches::reap, period, period, TimeUnit.MILLISECONDS);
            reaper = ex;
        }
    }
}
