package io.jcontract.agent;

import com.sun.tools.attach.VirtualMachine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/** The agent loaded into a running JVM (Agent-Class) makes unmodified code fork members there. */
@Timeout(60)
class DynamicAttachTest {
    @Test
    void agentmainInstrumentsARunningJvm() throws Exception {
        String jar = System.getProperty("jcontract.test.agentJar");
        assertNotNull(jar, "jcontract.test.agentJar is set by the build");
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+EnableDynamicAgentLoading", "-Xshare:auto"));
        if (Runtime.version().feature() >= 23) cmd.add("--sun-misc-unsafe-memory-access=allow");
        cmd.addAll(List.of("-cp", cp, AttachTarget.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
                for (String l; (l = r.readLine()) != null; ) lines.add(l);
            } catch (Exception ignored) {
            }
        }, "attach-target-output");
        reader.setDaemon(true);
        reader.start();
        List<String> all = new ArrayList<>();
        try (PrintWriter in = new PrintWriter(p.getOutputStream(), true)) {
            await(lines, all, "ready");
            VirtualMachine vm = VirtualMachine.attach(String.valueOf(p.pid()));
            try {
                vm.loadAgent(jar);
            } finally {
                vm.detach();
            }
            in.println("go");
            String result = await(lines, all, "contract ");
            Matcher m = Pattern.compile("contract (\\d+) thread (\\d+) task (\\d+) root (\\d+) events (.*)").matcher(result);
            assertTrue(m.matches(), result);
            int contract = Integer.parseInt(m.group(1));
            assertNotEquals(Integer.parseInt(m.group(4)), contract, "a new contract, not the root");
            assertEquals(contract, Integer.parseInt(m.group(2)), "the thread started in the contract is a member");
            assertEquals(contract, Integer.parseInt(m.group(3)), "the pooled task it submitted is a member");
            // the task's FORK and EXIT, the thread's EXIT, then EMPTY
            assertEquals("Fork Exit Exit Empty", m.group(5), result);
            in.println("quit");
            assertTrue(p.waitFor(10, TimeUnit.SECONDS), () -> "target did not exit: " + all);
            assertEquals(0, p.exitValue(), all::toString);
        } finally {
            p.destroyForcibly();
        }
    }

    private static String await(BlockingQueue<String> lines, List<String> all, String prefix) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        for (;;) {
            String l = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (l == null) fail("no line starting with '" + prefix + "' from the target; saw " + all);
            all.add(l);
            if (l.startsWith(prefix)) return l;
        }
    }
}
