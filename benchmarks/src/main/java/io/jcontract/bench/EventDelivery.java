package io.jcontract.bench;

import io.jcontract.ContractEvent;
import io.jcontract.EventListener;
import io.jcontract.internal.EventQueueAccess;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Control;
import org.openjdk.jmh.infra.ThreadParams;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Benchmark 4: event delivery from one producer thread to one consumer thread, through a
 * contract's event queue ({@code contract}: the producer side a contract uses when a member forks
 * or exits, and an ordinary {@link EventListener}) or through {@link LinkedBlockingQueue} and
 * {@link ConcurrentLinkedQueue} carrying the same event objects.
 *
 * <p>Theory of operation. A JMH group of two threads: {@code produce} makes one new
 * {@code Exit} event and offers it, {@code consume} polls until it gets one (spinning, as all three
 * queues are read the same non-blocking way). The producer may run at most {@link #BACKLOG} events
 * ahead, far below the contract queue's capacity (4096), so no event is ever dropped and no queue
 * grows without bound; the consumer's count, which the producer reads, has a cache line of its own. The
 * figure is the consumer's rate ({@code delivery:consume}); the allocation per event is
 * {@code gc.alloc.rate.norm} times the group's ops over the consumer's, and {@link #event()}
 * gives the size of the event itself.
 *
 * <p>The group {@code delivery2P} is the same with two producer threads into one queue and one
 * consumer (issue 14's 2-producer line): its figure is {@code delivery2P:consume2P}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 4, time = 1)
@Fork(2)
public class EventDelivery {
    static final int BACKLOG = 1024;
    /** The consumer's count, in the middle of its own array: no false sharing with anything. */
    private static final int CONSUMED = 16;
    /** Producer k's count (2-producer group) at PRODUCED + 16 k: a cache line of its own each. */
    private static final int PRODUCED = 32;

    /** What one group shares: the queue under test and the two progress counters. */
    @State(Scope.Group)
    public static class Channel {
        @Param({"contract", "lbq", "clq"})
        public String queue;

        final AtomicLongArray progress = new AtomicLongArray(80);
        long produced;          // the producer's own copy
        long consumed;          // the consumer's own copy
        long seq;
        EventQueueAccess events;
        EventListener listener;
        LinkedBlockingQueue<ContractEvent> lbq;
        ConcurrentLinkedQueue<ContractEvent> clq;

        @Setup(Level.Trial)
        public void open() {
            switch (queue) {
                case "contract" -> {
                    events = EventQueueAccess.contractLike();
                    listener = events.listen();
                }
                case "lbq" -> lbq = new LinkedBlockingQueue<>();
                case "clq" -> clq = new ConcurrentLinkedQueue<>();
                default -> throw new IllegalArgumentException("queue " + queue);
            }
        }

        @TearDown(Level.Trial)
        public void close() {
            if (listener != null) {
                if (listener.dropped() != 0) throw new IllegalStateException(listener.dropped() + " events dropped");
                listener.close();
            }
        }

        void offer(ContractEvent e) {
            switch (queue) {
                case "contract" -> events.offer(e);
                case "lbq" -> lbq.offer(e);
                default -> clq.offer(e);
            }
        }

        ContractEvent poll() {
            return switch (queue) {
                case "contract" -> listener.poll().orElse(null);
                case "lbq" -> lbq.poll();
                default -> clq.poll();
            };
        }
    }

    @Benchmark
    @Group("delivery")
    @GroupThreads(1)
    public void produce(Channel c, Control control) {
        while (c.produced - c.progress.get(CONSUMED) >= BACKLOG) {
            if (control.stopMeasurement) return;
            Thread.onSpinWait();
        }
        long s = ++c.seq;
        c.offer(new ContractEvent.Exit(s, 2, false, s, ContractEvent.Exit.STATUS_OK, null));
        c.produced++;
    }

    @Benchmark
    @Group("delivery")
    @GroupThreads(1)
    public ContractEvent consume(Channel c, Control control) {
        ContractEvent e;
        while ((e = c.poll()) == null) {
            if (control.stopMeasurement) return null;
            Thread.onSpinWait();
        }
        c.progress.lazySet(CONSUMED, ++c.consumed);
        return e;
    }

    /**
     * The 2-producer line (issue 14): two producer threads and one consumer share one queue. Each
     * producer counts its own events (its own cache line); together they stay at most
     * {@link #BACKLOG} events ahead of the consumer.
     */
    @Benchmark
    @Group("delivery2P")
    @GroupThreads(2)
    public void produce2P(Channel c, Producer p, Control control) {
        while (c.progress.get(PRODUCED) + c.progress.get(PRODUCED + 16) - c.progress.get(CONSUMED) >= BACKLOG) {
            if (control.stopMeasurement) return;
            Thread.onSpinWait();
        }
        long s = ++p.seq;
        c.offer(new ContractEvent.Exit(s, 2, false, s, ContractEvent.Exit.STATUS_OK, null));
        c.progress.lazySet(p.slot, ++p.produced);
    }

    @Benchmark
    @Group("delivery2P")
    @GroupThreads(1)
    public ContractEvent consume2P(Channel c, Control control) {
        return consume(c, control);
    }

    /** One producer's own count and slot in the 2-producer group. */
    @State(Scope.Thread)
    public static class Producer {
        int slot;
        long produced, seq;

        @Setup(Level.Trial)
        public void slot(ThreadParams t) {
            int k = t.getSubgroupThreadIndex();
            if (k > 1) throw new IllegalStateException("producer index " + k);
            slot = PRODUCED + 16 * k;
            seq = (long) k << 40;        // distinct ids per producer
        }
    }

    /** The event alone: its allocation ({@code -prof gc}) is what the goal allows per delivery. */
    @Benchmark
    public ContractEvent event(Sequence s) {
        long id = ++s.seq;
        return new ContractEvent.Exit(id, 2, false, id, ContractEvent.Exit.STATUS_OK, null);
    }

    /** A counter for {@link #event()}, so that each event differs as in the queues. */
    @State(Scope.Thread)
    public static class Sequence {
        long seq;
    }
}
