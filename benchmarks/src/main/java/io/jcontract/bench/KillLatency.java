package io.jcontract.bench;

import io.jcontract.Contract;
import io.jcontract.ContractTemplate;
import io.jcontract.ContractThreads;
import io.jcontract.Contracts;
import io.jcontract.KillReport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Benchmark 5: kill latency. Before each op (not timed) N virtual threads are started and parked
 * until interrupted; the op ends when they are all gone.
 *
 * <ul>
 * <li>{@code kill}: the N threads are the members of one contract (the first, started with a
 *     template active, starts the others); the op is {@code kill().awaitEmpty()}: mark, interrupt,
 *     wait for the last EXIT.</li>
 * <li>{@code scope}: the N threads are subtasks of a {@code StructuredTaskScope} that cancels on
 *     failure, with one more subtask that fails when released; the op releases it, then
 *     {@code join()} and {@code close()}: cancel, interrupt, and wait for every subtask's thread to
 *     finish (close is included because join alone does not wait for the cancelled threads, and
 *     awaitEmpty does). The scope is reached by reflection ({@link Scopes}), hence the preview flag.</li>
 * </ul>
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 6)
@Fork(value = 2, jvmArgsAppend = "--enable-preview")
public class KillLatency {

    /** A member's or subtask's body: park until interrupted, then return. */
    static void parkUntilInterrupted(CountDownLatch ready) {
        ready.countDown();
        while (!Thread.currentThread().isInterrupted()) LockSupport.park();
    }

    /** N parked members of a fresh contract held by the benchmark thread. */
    @State(Scope.Thread)
    public static class Parked {
        @Param({"1000", "10000", "100000"})
        public int n;
        Contract contract;

        @Setup(Level.Invocation)
        public void park() throws InterruptedException {
            CountDownLatch ready = new CountDownLatch(n);
            int others = n - 1;
            try (ContractTemplate.Activation a = ContractTemplate.process().activate()) {
                ContractThreads.startVirtual(() -> {
                    for (int i = 0; i < others; i++) ContractThreads.startVirtual(() -> parkUntilInterrupted(ready));
                    parkUntilInterrupted(ready);
                });
            }
            contract = Contracts.latest();
            ready.await();
        }

        @TearDown(Level.Invocation)
        public void abandon() {
            contract.abandon();
        }
    }

    /** N parked subtasks of a scope owned by the benchmark thread, and the subtask that cancels it. */
    @State(Scope.Thread)
    public static class Scoped {
        @Param({"1000", "10000", "100000"})
        public int n;
        Scopes scope;
        CountDownLatch trigger;

        @Setup(Level.Invocation)
        public void park() throws InterruptedException {
            CountDownLatch ready = new CountDownLatch(n + 1);
            CountDownLatch go = new CountDownLatch(1);
            scope = Scopes.open();
            for (int i = 0; i < n; i++) scope.fork(() -> {
                parkUntilInterrupted(ready);
                return null;
            });
            scope.fork(() -> {
                ready.countDown();
                go.await();
                throw new CancellationTrigger();
            });
            trigger = go;
            ready.await();
        }
    }

    /** The failure that makes the scope cancel its other subtasks. */
    static final class CancellationTrigger extends RuntimeException {
        CancellationTrigger() {
            super("cancel", null, false, false);
        }
    }

    @Benchmark
    public KillReport kill(Parked p) throws InterruptedException {
        KillReport r = p.contract.kill().awaitEmpty(Duration.ofMinutes(2));
        if (!r.empty()) throw new IllegalStateException(r.stragglers().size() + " members outlived the kill");
        return r;
    }

    @Benchmark
    public Object scope(Scoped s) {
        s.trigger.countDown();
        s.scope.join();
        s.scope.close();
        return s.scope;
    }
}
