package io.jcontract.agent;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The agent's start-up runs no invokedynamic of its own or of the core's: no lambda or method
 * reference (each spins a class through {@code LambdaMetafactory}, which the class-data archives do
 * not keep for an agent) and no indy string concatenation (see the poms). A child JVM with a trivial
 * main is started with the agent on either loading path and {@code -Xlog:methodhandles+indy}; every
 * bootstrap it logs in an {@code io/jcontract} class other than the child's own is a regression. The
 * child runs a lambda itself, after premain, so a log that shows nothing cannot pass.
 */
@Timeout(120)
class StartupWithoutIndyTest {
    /** The child: one lambda, so the log has a bootstrap to show. */
    public static final class Child {
        public static void main(String[] args) {
            Supplier<String> s = () -> "child";
            if (s.get().isEmpty()) System.exit(3);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"loader=lookup", "loader=boot"})
    void premainBootstrapsNoCallSiteOfJcontract(String agentArgs, @TempDir Path dir) throws Exception {
        String jar = System.getProperty("jcontract.test.agentJar");
        assumeTrue(jar != null, "jcontract.test.agentJar is not set: not the agent-tests execution");
        Path classes = Path.of(Child.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path indy = dir.resolve("indy.log");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--sun-misc-unsafe-memory-access=allow", "-javaagent:" + jar + "=" + agentArgs,
                "-Xlog:methodhandles+indy=debug:file=" + indy, "-cp", classes.toString(), Child.class.getName()));
        Path out = dir.resolve("child.log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            assertTrue(p.waitFor(90, TimeUnit.SECONDS), "the child did not end");
        } finally {
            p.destroyForcibly();
        }
        assertEquals(0, p.exitValue(), () -> "the child failed:\n" + read(out));

        String child = Child.class.getName().replace('.', '/');
        List<String> ours = new ArrayList<>();
        boolean childSeen = false;
        for (String line : Files.readAllLines(indy)) {
            int at = line.indexOf("resolve_invokedynamic Bootstrap in ");
            if (at < 0) continue;
            String site = line.substring(at + "resolve_invokedynamic Bootstrap in ".length());
            if (site.startsWith(child + " ")) childSeen = true;
            else if (site.startsWith("io/jcontract/")) ours.add(site);
        }
        assertTrue(childSeen, () -> "the log shows no bootstrap of the child's own call sites:\n" + read(indy));
        assertEquals(List.of(), ours, "call sites of io.jcontract bootstrapped while the agent started");
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (Exception e) {
            return "(" + e + ")";
        }
    }
}
