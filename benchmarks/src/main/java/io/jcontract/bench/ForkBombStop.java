package io.jcontract.bench;

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

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The baseline of {@code agent.ForkBombKillAgent}, with no agent and no contract: the same
 * {@link ForkBomb}, stopped by hand-written code (a stop flag, an interrupt to every fork's thread,
 * a count of forks that have not returned), until every fork made has returned. It is the least
 * time any stop of this bomb can take on this machine.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 8)
@Fork(1)
public class ForkBombStop {

    @State(Scope.Thread)
    public static class Bomb {
        final ExecutorService pool = Executors.newFixedThreadPool(4);
        ForkBomb bomb;

        @Setup(Level.Invocation)
        public void arm() throws InterruptedException {
            bomb = ForkBomb.selfStopping(pool);
            bomb.arm();
        }

        @TearDown(Level.Invocation)
        public void disarm() throws InterruptedException {
            if (!bomb.stop(10, TimeUnit.SECONDS)) throw new IllegalStateException("the bomb did not stop");
        }

        @TearDown
        public void close() {
            pool.shutdownNow();
        }
    }

    @Benchmark
    public boolean stop(Bomb b) throws InterruptedException {
        return b.bomb.stop(30, TimeUnit.SECONDS);
    }
}
