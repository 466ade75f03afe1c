package io.jcontract.agent;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Infrastructure is never inside (issue 12 item 2): for each kind of JVM-wide JDK thread, a member
 * of a fresh JVM under the agent is the first to trigger it, its contract is killed, and the
 * facility still works from outside. Each kind runs in its own JVM ({@link InfraProbe}), because
 * the JDK starts these threads once per JVM.
 */
@Timeout(150)
class InfrastructureTest {
    @ParameterizedTest
    @ValueSource(strings = {"vthread-socket", "process", "cleaner", "rmi", "declared", "common-pool"})
    void aMemberTriggersItTheKillLeavesItAloneAndItStillWorksFromOutside(String kind) throws Exception {
        String out = probe(kind);
        assertTrue(out.contains("PROBE OK " + kind), out);
    }

    @org.junit.jupiter.api.Test
    void aKilledMemberCallingSystemExitStillRunsTheShutdownHooks() throws Exception {
        String out = probe("shutdown-hooks");
        assertTrue(out.contains("PROBE KILLED"), out);
        assertTrue(out.contains("HOOK RAN"), out);
    }

    static String probe(String kind) throws Exception {
        String jar = System.getProperty("jcontract.test.agentJar");
        assumeTrue(jar != null, "jcontract.test.agentJar is not set: not the agent-tests execution");
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:off", "-javaagent:" + jar));
        if (Runtime.version().feature() >= 23) cmd.add("--sun-misc-unsafe-memory-access=allow");
        cmd.addAll(List.of("-cp", cp, InfraProbe.class.getName(), kind));
        Path output = Files.createTempFile("jcontract-infra-" + kind, ".txt");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        try {
            boolean ended = p.waitFor(120, TimeUnit.SECONDS);
            assertTrue(ended, "the probe did not end:\n" + read(output));
            String out = read(output);
            if (!kind.equals("shutdown-hooks")) assertEquals(0, p.exitValue(), out);
            return out;
        } finally {
            p.destroyForcibly();
            Files.deleteIfExists(output);
        }
    }

    private static String read(Path p) throws java.io.IOException {
        return Files.readString(p);
    }
}
