package io.jcontract.bench;

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
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark 6: agent start-up. One op is a whole child JVM running {@link Trivial}, started and
 * waited for: {@code plain} without the agent, {@code agent} with
 * {@code -javaagent:<jcontract-agent.jar>}. The difference is what the agent adds to a start.
 *
 * <p>The agent jar is the one {@link Main} resolved, passed to every fork as the system property
 * {@code jcontract.bench.agentJar}. Both children get the same flags otherwise (on JDK 23+ the
 * one that silences JCTools' {@code sun.misc.Unsafe} warning), the benchmarks jar as class path,
 * and their output is read and checked (a child that fails fails the benchmark).
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 10)
@Fork(2)
@State(Scope.Benchmark)
public class AgentStartup {
    @Param({"plain", "agent"})
    public String mode;

    private List<String> command;

    @Setup(Level.Trial)
    public void command() {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (Runtime.version().feature() >= 23) cmd.add("--sun-misc-unsafe-memory-access=allow");
        if (mode.equals("agent")) {
            String jar = System.getProperty(Main.AGENT_JAR_PROPERTY);
            if (jar == null || !Files.isRegularFile(Path.of(jar)))
                throw new IllegalStateException("no agent jar (system property " + Main.AGENT_JAR_PROPERTY
                        + " = " + jar + "): run through io.jcontract.bench.Main");
            cmd.add("-javaagent:" + jar);
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Trivial.class.getName());
        command = List.copyOf(cmd);
    }

    @Benchmark
    public int start() throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        int rc = p.waitFor();
        if (rc != 0) throw new IllegalStateException("child exited " + rc + ": " + new String(out, StandardCharsets.UTF_8));
        return rc;
    }
}
