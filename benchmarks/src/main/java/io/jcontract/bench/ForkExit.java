package io.jcontract.bench;

import io.jcontract.ContractExecutors;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark 7: fork and exit throughput, two threads (both cores) forking at once.
 *
 * <p>Theory of operation. A fork and exit without a thread start around it, so that the contract's
 * bookkeeping is what is measured: each op hands an empty task to a {@link ContractExecutors}
 * wrapper of a direct executor, which forks a pending member (join the member list), runs it in
 * the caller (pending to running) and exits it (leave the list): three critical sections on the
 * contract's lock. With {@code contracts = shared} both benchmark threads are members of one
 * contract and fork into it; with {@code perThread} each is in a contract of its own, which is the
 * uncontended baseline: the ratio is what contention on one member set costs.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 4, time = 1)
@Fork(2)
@Threads(ForkExit.THREADS)
public class ForkExit {
    static final int THREADS = 2;
    private static final Executor FORKING = ContractExecutors.wrap((Executor) Runnable::run);

    /** The contract both threads share, when they share one. */
    @State(Scope.Benchmark)
    public static class Layout {
        @Param({"shared", "perThread"})
        public String contracts;
        Members shared;

        @Setup(Level.Iteration)
        public void open() {
            if (contracts.equals("shared")) shared = Members.open(THREADS);
        }

        @TearDown(Level.Iteration)
        public void close() {
            if (shared != null) shared.close();
            shared = null;
        }
    }

    /** One benchmark thread's membership: in the shared contract, or in one of its own. */
    @State(Scope.Thread)
    public static class Forker {
        private Members own;
        private Members.Binding binding;

        @Setup(Level.Iteration)
        public void enter(Layout layout) {
            if (layout.shared != null) {
                binding = layout.shared.bind();
            } else {
                own = Members.open(1);
                binding = own.bind();
            }
        }

        @TearDown(Level.Iteration)
        public void leave() {
            binding.release();
            if (own != null) own.close();
            own = null;
        }
    }

    @Benchmark
    public void forkExit(Forker f) {
        FORKING.execute(StartJoin.NOTHING);
    }
}
