package io.jcontract.internal;

import io.jcontract.ContractEvent;
import io.jcontract.EventListener;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.util.LoggingLevel;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Linearizability of an {@link EventQueue} with one listener, checked by Lincheck in model-checking
 * mode against {@link Model}, a sequential specification written from the queue's theory of
 * operation: a listener reads, in publication order, what was offered after it opened; critical
 * events it has read (and nobody acknowledged) are kept, and {@code reset} replays them before the
 * rest of its queue.
 *
 * <p>Producers offer informative ({@code Fork}) and critical ({@code Empty}) events from any thread;
 * the listener's reads ({@code poll}, {@code pollCritical}, {@code peek}, {@code reset}) are in one
 * non-parallel group, so Lincheck puts them on one thread (a listener's reads are serialised by its
 * own lock anyway, and a listener belongs to one reader). The capacity is far above what a scenario
 * offers, so nothing is dropped and the model does not model drops.
 *
 * <p>Two shapes: a contract's queue (keeps critical events for replay: critical publishes go through
 * {@code lock} and {@code pinned}) and a live feed (the bundle: keeps nothing, {@code reset} replays
 * nothing, every publish is lock-free).
 */
@Param(name = "id", gen = IntGen.class, conf = "1:3")
public class EventQueueLincheckTest {

    /** Test instances built: Lincheck builds one per invocation; reported after each check. */
    static final AtomicLong INSTANCES = new AtomicLong();

    /** Far above the events of a scenario: no informative event is dropped. */
    private static final int CAPACITY = 1024;

    // ------------------------------------------------------------------ the two shapes under test

    /** A contract's queue: keeps unacknowledged critical events; reset replays them. */
    public static class ContractQueue extends Ops {
        public ContractQueue() {
            super(true);
        }
    }

    /** A live feed (the bundle): keeps nothing for later; reset replays nothing. */
    public static class LiveFeed extends Ops {
        public LiveFeed() {
            super(false);
        }
    }

    @Param(name = "id", gen = IntGen.class, conf = "1:3")
    abstract static class Ops {
        final EventQueue queue;
        final EventListener listener;

        Ops(boolean keepsCritical) {
            INSTANCES.incrementAndGet();        // one per invocation (Lincheck 3.7 prints no count)
            queue = new EventQueue("lincheck", keepsCritical, CAPACITY);
            listener = queue.listen(false);
        }

        @Operation(params = "id")
        public void offerInformative(int id) {
            queue.offer(new Published(new ContractEvent.Fork(id, 7, false, id, 1), "u"));
        }

        @Operation(params = "id")
        public void offerCritical(int id) {
            queue.offer(new Published(new ContractEvent.Empty(id, 7, true, 1), "u"));
        }

        @Operation(nonParallelGroup = "consumer")
        public String poll() {
            return show(listener.poll());
        }

        @Operation(nonParallelGroup = "consumer")
        public String pollCritical() {
            return show(listener.pollCritical());
        }

        @Operation(nonParallelGroup = "consumer")
        public String peek() {
            return show(listener.peek());
        }

        @Operation(nonParallelGroup = "consumer")
        public void reset() {
            listener.reset();
        }

        private static String show(Optional<ContractEvent> e) {
            return e.map(Model::show).orElse("-");
        }
    }

    // ------------------------------------------------------------------ the sequential specification

    /**
     * One listener's view, sequentially: its unread queue, and (if the queue keeps critical events)
     * the critical events it has read, with {@code replayPos} the next one a read replays.
     */
    public static class Model {
        final boolean keepsCritical;
        final ArrayDeque<String> unread = new ArrayDeque<>();
        final ArrayList<String> kept = new ArrayList<>();
        int replayPos;

        Model(boolean keepsCritical) {
            this.keepsCritical = keepsCritical;
        }

        static String show(ContractEvent e) {
            return (e.critical() ? "E" : "F") + e.id();
        }

        public void offerInformative(int id) {
            unread.add("F" + id);
        }

        public void offerCritical(int id) {
            unread.add("E" + id);
        }

        private String read(boolean advance) {
            if (replayPos < kept.size()) {
                String e = kept.get(replayPos);
                if (advance) replayPos++;
                return e;
            }
            String e = advance ? unread.poll() : unread.peek();
            if (e == null) return "-";
            if (advance && keepsCritical && e.startsWith("E")) {
                kept.add(e);
                replayPos = kept.size();
            }
            return e;
        }

        public String poll() {
            return read(true);
        }

        public String pollCritical() {
            for (;;) {
                String e = read(true);
                if (e.equals("-") || e.startsWith("E")) return e;
            }
        }

        public String peek() {
            return read(false);
        }

        public void reset() {
            replayPos = 0;
        }
    }

    public static class ContractQueueModel extends Model {
        public ContractQueueModel() {
            super(true);
        }
    }

    public static class LiveFeedModel extends Model {
        public LiveFeedModel() {
            super(false);
        }
    }

    // ------------------------------------------------------------------ the checks

    /** Scenarios per check, and the most interleavings explored per scenario: each check stays under 30 s. */
    static final int ITERATIONS = 20, INVOCATIONS = 500;

    static ModelCheckingOptions options(Class<?> model) {
        return new ModelCheckingOptions()
                .iterations(ITERATIONS)
                .invocationsPerIteration(INVOCATIONS)
                .threads(3)
                .actorsPerThread(3)
                .actorsBefore(2)
                .actorsAfter(2)
                .sequentialSpecification(model)
                .logLevel(LoggingLevel.INFO);       // prints each iteration's scenario and invocation count
    }

    static void check(Class<?> test, Class<?> model) {
        long before = INSTANCES.get(), start = System.nanoTime();
        options(model).check(test);
        System.out.printf("[lincheck] %s: %d scenarios, %d invocations, %.1f s%n", test.getSimpleName(),
                ITERATIONS, INSTANCES.get() - before, (System.nanoTime() - start) / 1e9);
    }

    @Test
    void contractQueueIsLinearizable() {
        check(ContractQueue.class, ContractQueueModel.class);
    }

    @Test
    void liveFeedIsLinearizable() {
        check(LiveFeed.class, LiveFeedModel.class);
    }
}
