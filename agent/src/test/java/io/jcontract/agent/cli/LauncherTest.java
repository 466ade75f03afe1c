package io.jcontract.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The tools from a shell whose {@code java} is too old (issue 15): run
 * through {@code ./jc} or the {@code scripts/} launchers with java 17 first
 * on the PATH, they find a JDK 21+ and work; run by java 17 itself, they
 * say so in one line. ctrun through the launchers prints no class-sharing
 * warning.
 */
@Timeout(180)
class LauncherTest {
    static final Path JAVA17 = Path.of("/usr/lib/jvm/java-17-openjdk-amd64");

    static Path root() {
        Path dir = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) if (Files.isRegularFile(p.resolve("jc"))) return p;
        throw new AssertionError("no ./jc above " + dir);
    }

    static void assumeJava17() {
        Assumptions.assumeTrue(Files.isExecutable(JAVA17.resolve("bin/java")), "needs a Java 17 at " + JAVA17);
    }

    /** Runs {@code command} from the project root with java 17 first on the PATH and no JAVA_HOME. */
    static CliSupport.Result withJava17First(List<String> command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(root().toFile());
        Map<String, String> env = pb.environment();
        env.remove("JAVA_HOME");
        env.put("PATH", JAVA17.resolve("bin") + File.pathSeparator + env.getOrDefault("PATH", "/usr/bin:/bin"));
        File err = File.createTempFile("launcher-err", ".txt");
        err.deleteOnExit();
        Process p = pb.redirectError(err).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(CliSupport.WAIT_SECONDS * 3, TimeUnit.SECONDS), "did not end: " + command);
        return new CliSupport.Result(p.exitValue(), new String(out, StandardCharsets.UTF_8),
                Files.readString(err.toPath()));
    }

    @Test
    void onJava17TheJarSaysSoInOneLine() throws Exception {
        assumeJava17();
        for (List<String> args : List.<List<String>>of(List.of("ctstat", "1"), List.of("ctwatch", "-n", "1", "1"),
                List.of("ctrun", "Main"), List.of("--version"), List.of())) {
            List<String> cmd = new ArrayList<>(List.of(JAVA17.resolve("bin/java").toString(), "-jar",
                    CliSupport.agentJar()));
            cmd.addAll(args);
            CliSupport.Result r = CliSupport.process(cmd);
            assertNotEquals(0, r.status(), args + ": " + r);
            assertEquals("", r.out(), args + ": " + r);
            List<String> lines = r.err().lines().toList();
            assertEquals(1, lines.size(), args + ": one line: " + r);
            assertTrue(lines.getFirst().startsWith("jcontract tools need Java 21 or newer; this is Java 17 ("
                    + JAVA17), args + ": " + r);
            assertTrue(lines.getFirst().contains("./jc " + (args.isEmpty() || args.getFirst().startsWith("-")
                    ? "ctstat" : args.getFirst())), args + ": " + r);
            assertFalse(r.err().contains("ASSERTION") || r.err().contains("Exception"), r::toString);
        }
    }

    @Test
    void jcAndTheScriptsFindAJdk21WithJava17FirstOnThePath() throws Exception {
        assumeJava17();
        for (String launcher : List.of("./jc", "scripts/ctstat")) {
            List<String> help = launcher.equals("./jc") ? List.of("./jc", "ctstat", "--help") : List.of(launcher, "--help");
            CliSupport.Result h = withJava17First(help);
            assertEquals(0, h.status(), launcher + ": " + h);
            assertTrue(h.out().startsWith("Usage: ctstat"), launcher + ": " + h);
        }
        try (CliSupport.Target target = CliSupport.Target.withAgent()) {
            for (List<String> cmd : List.of(List.of("./jc", "ctstat", target.pid()),
                    List.of("scripts/ctstat", target.pid()),
                    List.of("scripts/ctwatch", "-f", "-w", "1", target.pid()))) {
                CliSupport.Result r = withJava17First(cmd);
                assertEquals(0, r.status(), cmd + ": " + r);
                assertTrue(r.out().startsWith("CTID"), cmd + ": " + r);
                assertTrue(r.err().isEmpty() || r.err().matches("ctwatch: 0 events in 1 s\\R"), cmd + ": " + r);
            }
        }
        CliSupport.Result usage = withJava17First(List.of("./jc", "help"));
        for (String tool : List.of("ctstat", "ctwatch", "ctrun"))
            assertTrue(usage.out().contains("./jc " + tool), "listed in ./jc's help: " + usage);
    }

    @Test
    void ctrunThroughTheLaunchersPrintsNoClassSharingWarning() throws Exception {
        assumeJava17();
        for (String launcher : List.of("./jc ctrun", "scripts/ctrun")) {
            List<String> cmd = new ArrayList<>(List.of(launcher.split(" ")));
            cmd.addAll(List.of("-cp", CtRunTest.testClasses(), CtRunApp.class.getName(), "ok"));
            CliSupport.Result r = withJava17First(cmd);
            assertEquals(0, r.status(), launcher + ": " + r);
            assertTrue(r.out().startsWith("run in contract "), launcher + ": " + r);
            assertFalse(r.err().contains("Sharing is only supported"), launcher + ": " + r);
            assertEquals("", r.err(), launcher + ": " + r);
        }
    }
}
