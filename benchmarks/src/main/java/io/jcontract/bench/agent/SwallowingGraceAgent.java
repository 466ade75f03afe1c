package io.jcontract.bench.agent;

import io.jcontract.Contract;
import io.jcontract.ContractTemplate;
import io.jcontract.Contracts;
import org.openjdk.jmh.annotations.AuxCounters;
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

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Issue 12 item 3: the CPU a killed member that swallows every interrupt burns during a kill's
 * grace period (kill rung 3). The member loops on {@code Thread.sleep(5)} and ignores the
 * interrupt. Each op is one 200 ms grace period ({@code awaitEmpty(200 ms)}, which times out);
 * the aux counters report the member's CPU time in it ({@code cpuNanos}, from
 * {@code ThreadMXBean}) and the interrupts it swallowed. Baseline {@code notKilled}: the same loop
 * without a kill, i.e. what sleeping costs. The op's own time is the grace period, not the metric.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(1)
public class SwallowingGraceAgent {
    static final Duration GRACE = Duration.ofMillis(200);
    static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    @State(Scope.Thread)
    public static class Swallower {
        @Param({"killed", "notKilled"})
        public String mode;
        Contract contract;
        Thread member;
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicLong swallowed = new AtomicLong();

        @Setup(Level.Invocation)
        public void start() throws InterruptedException {
            stop.set(false);
            swallowed.set(0);
            CountDownLatch looping = new CountDownLatch(1);
            try (var a = ContractTemplate.process().activate()) {
                member = new Thread(() -> {
                    looping.countDown();
                    while (!stop.get()) {
                        try {
                            Thread.sleep(5);
                        } catch (InterruptedException e) {
                            swallowed.incrementAndGet();
                        }
                    }
                });
                member.start();
                contract = Contracts.latest();
            }
            looping.await();
        }

        @TearDown(Level.Invocation)
        public void end() throws InterruptedException {
            stop.set(true);
            contract.kill().awaitEmpty(Duration.ofSeconds(10));
            contract.abandon();
        }
    }

    @AuxCounters(AuxCounters.Type.EVENTS)
    @State(Scope.Thread)
    public static class Cost {
        public long cpuNanos, interrupts;
    }

    @Benchmark
    public boolean grace(Swallower s, Cost cost) throws InterruptedException {
        long cpu0 = THREADS.getThreadCpuTime(s.member.threadId());
        boolean empty;
        if (s.mode.equals("killed")) {
            empty = s.contract.kill().awaitEmpty(GRACE).empty();
        } else {
            Thread.sleep(GRACE.toMillis());
            empty = false;
        }
        cost.cpuNanos += THREADS.getThreadCpuTime(s.member.threadId()) - cpu0;
        cost.interrupts += s.swallowed.get();
        return empty;
    }
}
