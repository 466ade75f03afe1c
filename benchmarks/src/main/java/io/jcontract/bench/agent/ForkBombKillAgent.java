package io.jcontract.bench.agent;

import io.jcontract.Contract;
import io.jcontract.ContractKilledException;
import io.jcontract.ContractTemplate;
import io.jcontract.Contracts;
import io.jcontract.KillReport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Issue 12 item 7's measure: one kill of a running fork bomb until EMPTY (goal 50 ms at 2 cores).
 * Before each op (not timed) a contract's members fork through platform threads, virtual threads,
 * a shared pool and CompletableFuture until {@link #CAP} forks exist (then each waits a
 * millisecond and tries again); the op is {@code kill().awaitEmpty()} while they keep forking.
 * Same bomb as {@code ForkBombTest}.
 *
 * <p>The cap counts a fork from the moment it is made (a started thread whose body has not run
 * yet, a task still queued), not from when its body runs: counted at the body, the population
 * overshot to about 3 times the cap (some 1,190 running members, 800 of them platform threads,
 * and 780 queued tasks at {@code CAP = 400}), and the op measured how fast the OS ends 800 threads
 * on 2 cores rather than the kill. The queued tasks were never the cost: they stop being pending
 * in the kill itself ({@code KillQueuedTasksTest}).
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 8)
@Fork(1)
public class ForkBombKillAgent {
    static final int CAP = 400;

    @State(Scope.Thread)
    public static class Bomb {
        final ExecutorService pool = Executors.newFixedThreadPool(4);
        Contract contract;

        @Setup(Level.Invocation)
        public void arm() throws InterruptedException {
            AtomicInteger forks = new AtomicInteger(1);      // the first bomb, started below
            CountDownLatch saturated = new CountDownLatch(1);
            Runnable[] bomb = new Runnable[1];
            bomb[0] = () -> {
                try {
                    for (int i = 0; ; i++) {
                        if (forks.get() >= CAP) {
                            saturated.countDown();
                            Thread.sleep(1);
                            continue;
                        }
                        forks.incrementAndGet();                // counted before it exists: no overshoot
                        try {
                            switch (i & 3) {
                                case 0 -> new Thread(bomb[0]).start();
                                case 1 -> Thread.ofVirtual().start(bomb[0]);
                                case 2 -> pool.execute(bomb[0]);
                                default -> CompletableFuture.runAsync(bomb[0]);
                            }
                        } catch (RuntimeException refused) {
                            forks.decrementAndGet();
                            throw refused;
                        }
                    }
                } catch (ContractKilledException | InterruptedException | RejectedExecutionException e) {
                    // killed
                } finally {
                    forks.decrementAndGet();
                }
            };
            try (var a = ContractTemplate.process().activate()) {
                new Thread(bomb[0]).start();
                contract = Contracts.latest();
            }
            saturated.await(30, TimeUnit.SECONDS);
        }

        @TearDown(Level.Invocation)
        public void disarm() throws InterruptedException {
            contract.kill().awaitEmpty(Duration.ofSeconds(10));
            contract.abandon();
        }

        @TearDown
        public void close() {
            pool.shutdownNow();
        }
    }

    @Benchmark
    public KillReport kill(Bomb b) throws InterruptedException {
        return b.contract.kill().awaitEmpty(Duration.ofSeconds(30));
    }
}
