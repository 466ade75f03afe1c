package io.jcontract.example;

import io.jcontract.testkit.TestJson;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * README's first command, shortened: the demo application server runs in a
 * JVM of its own under the agent for 8 seconds of load, and its JSON summary
 * must show every injected fault detected, the faulty services restarted,
 * the crash-looping one in MAINTENANCE, every subsystem serving, and no
 * contract or member left after the shutdown. The demo bounds each of its
 * own waits; the only timeout here is the process's, generous for a loaded
 * machine.
 */
@Timeout(150)
class AppServerDemoTest {
    private static final String DEMO = "io.jcontract.example.appserver.AppServerDemo";

    @Test
    void theDemoDetectsEveryFaultAndLeavesNoContract(@TempDir Path dir) throws Exception {
        String jar = System.getProperty("jcontract.test.agentJar");
        // agent/target/jcontract-agent.jar, set in examples/pom.xml
        assumeTrue(jar != null, "jcontract.test.agentJar is not set: run from the reactor (examples/pom.xml sets it)");
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path summaryFile = dir.resolve("summary.json");
        Path output = dir.resolve("output.txt");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:off", "-javaagent:" + jar));
        if (Runtime.version().feature() >= 23) cmd.add("--sun-misc-unsafe-memory-access=allow");
        cmd.addAll(List.of("-cp", cp, DEMO, "--duration", "8", "--quiet", "--summary", summaryFile.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        try {
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), () -> "the demo did not end:\n" + read(output));
        } finally {
            p.destroyForcibly();
        }
        String log = read(output);
        assertEquals(0, p.exitValue(), () -> "demo exit status; output:\n" + log);
        assertTrue(Files.exists(summaryFile), () -> "no summary; output:\n" + log);

        Map<String, Object> summary = obj(TestJson.parse(Files.readString(summaryFile)));
        List<Map<String, Object>> faults = list(summary.get("faults")).stream().map(AppServerDemoTest::obj).toList();
        assertEquals(Set.of("CORE", "HWERR", "SIGNAL", "CRASH_LOOP", "HUNG_MEMBER", "KILL"),
                faults.stream().map(f -> (String) f.get("kind")).collect(Collectors.toSet()), log);
        for (Map<String, Object> f : faults)
            assertEquals(Boolean.TRUE, f.get("detected"), () -> "fault not detected: " + f + "\n" + log);
        assertEquals(Boolean.TRUE, summary.get("allFaultsDetected"));
        assertEquals(List.of(), summary.get("unexpectedFaults"), log);
        String hung = (String) faults.stream().filter(f -> f.get("kind").equals("HUNG_MEMBER")).findFirst()
                .orElseThrow().get("detection");
        assertTrue(hung.contains("straggler \"worker-export-"), hung);
        // the operator's kill of the HTTP service: no stop call, yet Jetty's threads ended and its port closed
        String killed = (String) faults.stream().filter(f -> f.get("kind").equals("KILL")).findFirst()
                .orElseThrow().get("detection");
        assertTrue(killed.startsWith("EMPTY of contract "), killed);
        assertTrue(log.matches("(?s).*KILL: contract \\d+ emptied \\(every Jetty thread ended, no stop call\\) within \\d+ ms.*"),
                () -> "the kill alone stopped Jetty:\n" + log);

        Map<String, Map<String, Object>> services = new LinkedHashMap<>();
        for (Object s : list(summary.get("services"))) services.put((String) obj(s).get("name"), obj(s));
        assertEquals(List.of("svc:/demo/worker:default", "svc:/demo/pipeline:default",
                "svc:/demo/cache-warmer:default", "svc:/demo/http:default"), List.copyOf(services.keySet()));
        for (String name : List.of("svc:/demo/worker:default", "svc:/demo/pipeline:default", "svc:/demo/http:default")) {
            Map<String, Object> s = services.get(name);
            assertTrue(num(s.get("restarts")) >= 1, () -> name + " was restarted: " + s);
            assertEquals("ONLINE", s.get("stateAtEndOfRun"), () -> name + " was serving again: " + s);
            assertEquals(s.get("faultsInjected"), s.get("faultsDetected"), name);
        }
        Map<String, Object> warmer = services.get("svc:/demo/cache-warmer:default");
        assertEquals("MAINTENANCE", warmer.get("stateAtEndOfRun"), warmer::toString);
        assertEquals("MAINTENANCE", warmer.get("state"), "maintenance survives the shutdown");
        assertEquals(4L, num(warmer.get("restarts")), "5 starts, then the throttle");
        assertTrue(((String) warmer.get("reason")).contains("too quickly"), warmer::toString);

        Map<String, Object> requests = obj(summary.get("requests"));
        for (String sub : List.of("http", "worker", "pipeline"))
            assertTrue(num(obj(requests.get(sub)).get("succeeded")) > 0, () -> sub + " served: " + requests);

        Map<String, Object> atEnd = obj(summary.get("atEnd"));
        assertEquals(0L, num(atEnd.get("contractsAlive")), atEnd::toString);
        assertEquals(0L, num(atEnd.get("membersAlive")), atEnd::toString);
        assertTrue(log.contains("GET /contracts ->") || log.contains("FAULT"), log);
        assertReadableLog(log, p.pid());
        assertTrue(log.contains("verdict: PASS (exit status 0)"), log);
        assertTrue(log.matches("(?s).*probes: liveness http://127\\.0\\.0\\.1:\\d+/livez, readiness http://127\\.0\\.0\\.1:\\d+/readyz.*"),
                "the demo prints its probe URLs:\n" + log);
    }

    /**
     * The log a person reads (issue 15): the pid at the start; the event that
     * caused a restart before the kill and the restart; one HTTP port across
     * restarts; no ISO-8601 durations, no nested reasons, no cut cells; a
     * crash loop collapsed; the uncaught throwables explained.
     */
    private static void assertReadableLog(String log, long pid) {
        List<String> lines = log.lines().toList();
        assertTrue(lines.stream().anyMatch(l -> l.contains(" demo ") && l.contains("pid " + pid + ":")),
                () -> "the first demo line names pid " + pid + ":\n" + log);
        assertFalse(Pattern.compile("\\bPT\\d").matcher(log).find(), () -> "an ISO-8601 duration:\n" + log);
        assertFalse(log.contains("..."), () -> "a cut cell:\n" + log);
        assertFalse(log.contains("(ready ("), () -> "a nested reason:\n" + log);
        // every restart line comes after an event line of its service, and after that service's previous restart
        Map<String, Integer> events = new LinkedHashMap<>();
        Pattern tagged = Pattern.compile("^\\[ *[0-9.]+s\\] (\\S+) +(svc:\\S+) .*");
        for (String l : lines) {
            Matcher m = tagged.matcher(l);
            if (!m.matches()) continue;
            String tag = m.group(1), service = m.group(2);
            if (tag.equals("event")) events.merge(service, 1, Integer::sum);
            if (tag.equals("restart")) {
                assertTrue(events.getOrDefault(service, 0) > 0, () -> "restart before its event: " + l + "\n" + log);
                events.merge(service, -1, Integer::sum);
            }
        }
        // one port across restarts
        Set<String> ports = new HashSet<>();
        Matcher bind = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)").matcher(log);
        int binds = 0;
        while (bind.find()) {
            ports.add(bind.group(1));
            binds++;
        }
        assertTrue(binds >= 3, () -> "the first bind and the rebinds after the SIGNAL and KILL restarts are logged:\n" + log);
        assertEquals(1, ports.size(), () -> "the HTTP service keeps its port:\n" + log);
        // the crash loop (5 starts) is collapsed: its first cycle, a count, the MAINTENANCE
        long warmerLines = lines.stream().filter(l -> l.contains("svc:/demo/cache-warmer:default")
                && tagged.matcher(l).matches()).count();
        assertTrue(warmerLines <= 16, () -> warmerLines + " cache-warmer lines:\n" + log);
        assertTrue(log.contains("more lines like the ones above"), () -> "no collapsed repeats:\n" + log);
        assertTrue(lines.stream().anyMatch(l -> l.matches("\\d+ thread\\(s\\) died of an uncaught throwable \\(.*\\): .*")),
                () -> "the uncaught throwables are explained:\n" + log);
    }

    /**
     * {@code --serve} until Ctrl-C: the README's curl works on the same port
     * after the HTTP service restarted, and SIGINT (SIGTERM if this JVM's
     * children ignore SIGINT, as background jobs do) ends the demo with the
     * verdict line and the verdict's exit status, not 130 or 143, after a
     * normal exit: the agent's temporary boot jar is deleted as it is when
     * the demo ends by itself.
     */
    @Test
    void ctrlCInServeModeEndsWithTheVerdict(@TempDir Path dir) throws Exception {
        String jar = System.getProperty("jcontract.test.agentJar");
        assumeTrue(jar != null, "jcontract.test.agentJar is not set: run from the reactor (examples/pom.xml sets it)");
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path output = dir.resolve("output.txt");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:off", "-javaagent:" + jar));
        if (Runtime.version().feature() >= 23) cmd.add("--sun-misc-unsafe-memory-access=allow");
        cmd.addAll(List.of("-cp", cp, DEMO, "--duration", "6", "--serve", "--quiet"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        try {
            // the crash loop ends in MAINTENANCE, from ONLINE or from STARTING (the last instance may crash
            // before it is ready: seen once); the operator's KILL of the HTTP service is the last fault
            awaitOutput(p, output, "-> MAINTENANCE", 90);
            awaitOutput(p, output, "KILL: contract ", 90);          // its outcome, emptied or not
            String log = read(output);
            Matcher port = Pattern.compile("all services ONLINE; HTTP on http://127\\.0\\.0\\.1:(\\d+)").matcher(log);
            assertTrue(port.find(), log);
            assertTrue(log.contains("again (the same port)"), () -> "the HTTP service rebound its port:\n" + log);
            HttpResponse<String> hello;
            try (HttpClient client = HttpClient.newHttpClient()) {
                hello = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port.group(1) + "/hello"))
                        .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
            }
            assertEquals(200, hello.statusCode(), "GET /hello on the port of the first bind, after the restart");

            boolean sigint = !ignoresSigint(p.pid());
            if (sigint) {
                Process kill = new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).inheritIO().start();
                assertEquals(0, kill.waitFor(), "kill -INT");
            } else {
                p.destroy();   // SIGTERM
            }
            assertTrue(p.waitFor(90, TimeUnit.SECONDS), () -> "the demo did not end after the signal:\n" + read(output));
            String end = read(output);
            assertTrue(end.contains("verdict: PASS (exit status 0)"), () -> (sigint ? "SIGINT" : "SIGTERM")
                    + ": no verdict line:\n" + end);
            assertEquals(0, p.exitValue(), () -> (sigint ? "SIGINT" : "SIGTERM") + ": exit status:\n" + end);
            String bootJar = "jcontract-boot-" + p.pid() + "-";
            try (var tmp = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
                List<Path> left = tmp.filter(f -> f.getFileName().toString().startsWith(bootJar)).toList();
                assertEquals(List.of(), left, "the agent's temporary jar is deleted at the exit");
            }
        } finally {
            p.destroyForcibly();
        }
    }

    /** Whether process {@code pid} ignores SIGINT (Linux: bit 2 of SigIgn in /proc/PID/status). */
    private static boolean ignoresSigint(long pid) throws Exception {
        Path status = Path.of("/proc", Long.toString(pid), "status");
        if (!Files.exists(status)) return false;
        for (String l : Files.readAllLines(status))
            if (l.startsWith("SigIgn:")) return (Long.parseUnsignedLong(l.substring(7).trim(), 16) & 0x2) != 0;
        return false;
    }

    /** Waits (bounded) until the output contains {@code text}; fails if the process ends first. */
    private static void awaitOutput(Process p, Path output, String text, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!read(output).contains(text)) {
            assertTrue(p.isAlive(), () -> "the demo ended before printing '" + text + "':\n" + read(output));
            assertTrue(System.nanoTime() - deadline < 0, () -> "no '" + text + "' within " + seconds + " s:\n" + read(output));
            p.waitFor(100, TimeUnit.MILLISECONDS);   // the output is a file: poll it, bounded
        }
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (Exception e) {
            return "(unreadable: " + e + ")";
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> obj(Object o) {
        assertInstanceOf(Map.class, o);
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        assertInstanceOf(List.class, o);
        return (List<Object>) o;
    }

    private static long num(Object o) {
        assertInstanceOf(Number.class, o);
        return ((Number) o).longValue();
    }
}
