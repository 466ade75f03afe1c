package io.jcontract.bench;

import io.jcontract.ContractExecutors;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark 3: submit a task to a pool and wait for its completion ({@link Pools}: per task, in
 * batches). {@code plain} is the JDK pool without the agent; {@code api} submits through
 * {@link ContractExecutors#wrap} from a member, so each task is a pending member, then a member
 * while it runs (informative: the goal is for the agent,
 * {@link io.jcontract.bench.agent.ExecutorSubmitAgent}, against {@code plain}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 4, time = 1)
@Fork(2)
public class ExecutorSubmit {

    @Benchmark
    @OperationsPerInvocation(Pools.BATCH)
    public int plain(Pools p) throws InterruptedException, ExecutionException {
        return p.batch(p.executor());
    }

    @Benchmark
    @OperationsPerInvocation(Pools.BATCH)
    public int api(Pools p, Wrapped w, InContract in) throws InterruptedException, ExecutionException {
        return p.batch(w.wrapped);
    }

    /** The pool of {@link Pools}, wrapped once per trial (the wrapper is what users keep). */
    @State(Scope.Thread)
    public static class Wrapped {
        ExecutorService wrapped;

        @Setup(Level.Trial)
        public void wrap(Pools p) {
            wrapped = ContractExecutors.wrap(p.executor());
        }
    }
}
