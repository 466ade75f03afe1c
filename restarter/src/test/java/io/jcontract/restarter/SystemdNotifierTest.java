package io.jcontract.restarter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * systemd's notify protocol against a fake {@code NOTIFY_SOCKET}: a python3
 * receiver bound on a temporary path (or an abstract name) records the
 * datagrams in order, and the notifier under test runs in a child JVM
 * ({@link NotifyChild}) that has {@code NOTIFY_SOCKET} and
 * {@code WATCHDOG_USEC} in its real environment. The child's class path puts
 * {@code META-INF/versions/22} first, as a multi-release jar would on this JDK.
 */
@Timeout(120)
class SystemdNotifierTest {
    static final long WAIT_S = 30;

    @TempDir
    Path dir;

    /** Lines read from a process's standard output, on a thread of their own. */
    private static LinkedBlockingQueue<String> lines(Process p) {
        LinkedBlockingQueue<String> q = new LinkedBlockingQueue<>();
        Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) q.add(l);
            } catch (IOException ignored) {
                // the process ended
            }
        });
        return q;
    }

    /** Takes lines until one matches, recording every line taken; fails after {@link #WAIT_S}. */
    private static String await(LinkedBlockingQueue<String> q, List<String> seen, Predicate<String> wanted,
                                String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
        while (true) {
            String l = q.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (l == null) throw new AssertionError("no " + what + " within " + WAIT_S + " s; saw " + seen);
            seen.add(l);
            if (wanted.test(l)) return l;
        }
    }

    private static boolean python() {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import socket; socket.AF_UNIX").start();
            return p.waitFor(WAIT_S, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static String childClassPath() {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> out = new ArrayList<>();
        for (String e : cp.split(File.pathSeparator)) {
            Path p = Path.of(e);
            if (p.endsWith(Path.of("target", "classes"))) out.add(p.resolve("META-INF/versions/22").toString());
            out.add(e);
        }
        return String.join(File.pathSeparator, out);
    }

    private void notifiesInOrder(String socketName) throws Exception {
        assumeTrue(python(), "python3 with AF_UNIX is needed for the fake NOTIFY_SOCKET");
        Path script = dir.resolve("notify_receiver.py");
        try (InputStream in = getClass().getResourceAsStream("/notify_receiver.py")) {
            assertNotNull(in, "notify_receiver.py on the test class path");
            Files.copy(in, script);
        }
        Process receiver = new ProcessBuilder("python3", "-u", script.toString(), socketName)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Process child = null;
        try {
            LinkedBlockingQueue<String> datagrams = lines(receiver);
            List<String> got = new ArrayList<>();
            assertEquals("bound", datagrams.poll(WAIT_S, TimeUnit.SECONDS), "receiver bound " + socketName);

            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder pb = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", childClassPath(),
                    NotifyChild.class.getName());
            Map<String, String> env = pb.environment();
            env.put("NOTIFY_SOCKET", socketName);
            env.put("WATCHDOG_USEC", "400000");   // WATCHDOG=1 every 200 ms
            env.remove("WATCHDOG_PID");
            Path err = dir.resolve("child.err");
            child = pb.redirectError(err.toFile()).start();
            LinkedBlockingQueue<String> out = lines(child);
            List<String> said = new ArrayList<>();
            Writer toChild = new OutputStreamWriter(child.getOutputStream(), StandardCharsets.UTF_8);
            await(out, said, "started"::equals, "start");

            String ready = await(datagrams, got, l -> l.contains("READY=1"), "READY=1");
            assertTrue(ready.contains("STATUS=ready: 1/1 services online"), ready);
            assertFalse(got.subList(0, got.size() - 1).stream().anyMatch(l -> l.contains("STATUS=ready")),
                    "nothing said ready before READY=1: " + got);
            int readyAt = got.size() - 1;
            // the watchdog keeps beating while live
            await(datagrams, got, l -> l.contains("WATCHDOG=1") && got.size() - 1 > readyAt, "a watchdog beat");
            int beat = got.size() - 1;
            await(datagrams, got, l -> l.contains("WATCHDOG=1") && got.size() - 1 > beat, "a second watchdog beat");

            // essential service into MAINTENANCE: a STATUS change, no second READY=1
            toChild.write("crash\n");
            toChild.flush();
            await(out, said, "done crash"::equals, "crash done");
            // the restarts before MAINTENANCE may each say "not ready" first (STARTING, OFFLINE): wait for the one
            // that names MAINTENANCE, and check that nothing in between said ready
            int crashAt = got.size();
            await(datagrams, got, l -> l.contains("STATUS=not ready") && l.contains("svc:/test/notified MAINTENANCE"),
                    "STATUS=not ready naming MAINTENANCE");
            assertFalse(got.subList(crashAt, got.size()).stream().anyMatch(l -> l.contains("STATUS=ready")),
                    "nothing said ready between the crash and MAINTENANCE: " + got);

            toChild.write("clear\n");
            toChild.flush();
            await(out, said, "done clear"::equals, "clear done");
            await(datagrams, got, l -> l.contains("STATUS=ready"), "STATUS=ready again");

            toChild.write("stop\n");
            toChild.flush();
            await(datagrams, got, l -> l.contains("STOPPING=1"), "STOPPING=1");
            assertEquals("stopped", await(out, said, l -> l.startsWith("stop"), "stop result"));
            assertTrue(child.waitFor(WAIT_S, TimeUnit.SECONDS), "child ended");
            assertEquals(0, child.exitValue(), Files.readString(err));

            assertEquals(1, got.stream().filter(l -> l.contains("READY=1")).count(), "READY=1 once: " + got);
            int stopping = -1;
            for (int i = 0; i < got.size(); i++) if (got.get(i).contains("STOPPING=1")) stopping = i;
            // whatever came after STOPPING=1 (nothing should) is still in the queue or in got
            String late = datagrams.poll(500, TimeUnit.MILLISECONDS);
            assertNull(late, "nothing after STOPPING=1: " + got + " then " + late);
            assertEquals(got.size() - 1, stopping, "STOPPING=1 last: " + got);
            String errText = Files.readString(err);
            assertFalse(errText.contains("cannot notify"), errText);
            assertFalse(errText.contains("WARNING"), "no restricted-method warning with the flag: " + errText);
        } finally {
            if (child != null) child.destroyForcibly().waitFor(WAIT_S, TimeUnit.SECONDS);
            receiver.destroyForcibly().waitFor(WAIT_S, TimeUnit.SECONDS);
        }
    }

    @Test
    void notifiesReadyStatusWatchdogAndStoppingInOrderOnAPathSocket() throws Exception {
        notifiesInOrder(dir.resolve("notify.sock").toString());
    }

    @Test
    void notifiesOnAnAbstractSocket() throws Exception {
        notifiesInOrder("@jcontract-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
    }

    @Test
    void withoutNotifySocketNothingStarts() {
        Restarter r = Restarter.builder().name("no-notify").build();
        assertNull(SystemdNotifier.start(r, name -> null));
        assertNull(SystemdNotifier.start(r, name -> name.equals("NOTIFY_SOCKET") ? "" : null));
    }

    @Test
    void watchdogIntervalIsHalfOfWatchdogUsecForThisProcessOnly() {
        String me = Long.toString(ProcessHandle.current().pid());
        assertEquals(Duration.ofMillis(500).toNanos(),
                SystemdNotifier.watchdogNanos(Map.of("WATCHDOG_USEC", "1000000")::get));
        assertEquals(Duration.ofMillis(500).toNanos(),
                SystemdNotifier.watchdogNanos(Map.of("WATCHDOG_USEC", "1000000", "WATCHDOG_PID", me)::get));
        assertEquals(0, SystemdNotifier.watchdogNanos(Map.of("WATCHDOG_USEC", "1000000", "WATCHDOG_PID", "1")::get));
        assertEquals(0, SystemdNotifier.watchdogNanos(Map.<String, String>of()::get));
    }
}
