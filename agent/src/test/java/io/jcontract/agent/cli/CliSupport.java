package io.jcontract.agent.cli;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * What the command tests share: a second JVM to look at (started with the
 * agent or without, obeying lines on its standard input), and running a
 * command in this JVM ({@link Main#run}) or in a new one
 * ({@code java -jar jcontract-agent.jar ...}), with its output and status.
 * Every wait is bounded and waits for the condition itself.
 */
final class CliSupport {
    static final long WAIT_SECONDS = 30;

    private CliSupport() {
    }

    static String agentJar() {
        // the build's run without the agent (TransparencyTest only) has no agent jar to start targets with
        org.junit.jupiter.api.Assumptions.assumeFalse("false".equals(System.getProperty("jcontract.test.expectAgent")),
                "needs the agent jar");
        String jar = System.getProperty("jcontract.test.agentJar");
        assertNotNull(jar, "jcontract.test.agentJar is set by the build");
        return jar;
    }

    static String testClassPath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    /** {@code java} with the options every child JVM gets: quick to start. */
    static List<String> java(String... options) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        if (Runtime.version().feature() >= 23) cmd.add("--sun-misc-unsafe-memory-access=allow");
        cmd.addAll(List.of(options));
        return cmd;
    }

    /** The output and exit status of a command. */
    record Result(int status, String out, String err) {
        @Override
        public String toString() {
            return "status " + status + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    /** Runs {@code args} through {@link Main#run} in this JVM. */
    static Result inProcess(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Runs {@code command} as a new process and waits for it (bounded). */
    static Result process(List<String> command) throws Exception {
        java.io.File errFile = java.io.File.createTempFile("cli-err", ".txt");
        errFile.deleteOnExit();
        Process p = new ProcessBuilder(command).redirectError(errFile).start();
        p.getOutputStream().close();
        var out = p.getInputStream().readAllBytes();        // until the process closes it
        assertTrue(p.waitFor(WAIT_SECONDS, TimeUnit.SECONDS), "command did not end: " + command);
        String err = java.nio.file.Files.readString(errFile.toPath());
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), err);
    }

    /** A JVM running {@code mainClass}, fed lines on standard input, its output read line by line. */
    static final class Target implements AutoCloseable {
        final Process process;
        private final PrintWriter in;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final List<String> seen = new ArrayList<>();

        Target(List<String> command) throws Exception {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
            in = new PrintWriter(process.getOutputStream(), true);
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream()))) {
                    for (String l; (l = r.readLine()) != null; ) lines.add(l);
                } catch (Exception ignored) {
                    // the target ended
                }
            }, "cli-target-output");
            reader.setDaemon(true);
            reader.start();
        }

        /** A CliTarget with the agent and {@code jvmOptions}, ready. */
        static Target withAgent(String... jvmOptions) throws Exception {
            List<String> options = new ArrayList<>(List.of("-javaagent:" + agentJar()));
            options.addAll(List.of(jvmOptions));
            options.addAll(List.of("-cp", testClassPath(), CliTarget.class.getName()));
            Target t = new Target(java(options.toArray(String[]::new)));
            t.await("ready ");
            return t;
        }

        String pid() {
            return String.valueOf(process.pid());
        }

        /** Sends {@code command} and returns the answer line starting with {@code answer}. */
        String send(String command, String answer) throws InterruptedException {
            in.println(command);
            return await(answer);
        }

        String await(String prefix) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            for (;;) {
                String l = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (l == null) fail("no line starting with '" + prefix + "' from the target; saw " + seen);
                seen.add(l);
                if (l.startsWith(prefix)) return l;
            }
        }

        @Override
        public void close() throws Exception {
            in.println("quit");
            in.close();
            if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly();
        }
    }
}
