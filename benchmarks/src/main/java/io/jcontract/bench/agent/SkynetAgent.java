package io.jcontract.bench.agent;

import io.jcontract.bench.InContract;
import io.jcontract.bench.Skynet;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Benchmark 2 under the agent: {@link Skynet#plain}'s tree of {@code Thread.ofVirtual()} starts,
 * from a member of a contract, so the agent makes every node a member of it
 * (baseline: {@code Skynet.plain}, without the agent).
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 3)
@Fork(value = 2, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
public class SkynetAgent {

    @Benchmark
    public long agent(InContract in) throws InterruptedException {
        return Skynet.run(r -> Thread.ofVirtual().start(r));
    }
}
