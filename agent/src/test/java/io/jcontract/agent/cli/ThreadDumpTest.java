package io.jcontract.agent.cli;

import io.jcontract.testkit.TestJson;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Contracts in the JDK's own thread dump: a JVM with the agent
 * ({@link ThreadDumpTarget}) runs a restarter with two services and one
 * contract held by main; {@code jcmd <pid> Thread.dump_to_file -format=json}
 * is run against it and the JSON parsed (a small parser below: no JSON
 * library is a dependency). The tree must read root → the restarter's
 * regent → one contract per service, each owned by its holder's thread and
 * listing its member threads (a pool worker while it runs the service's
 * task included); after a kill and abandon, the contract must be gone.
 */
@Timeout(120)
class ThreadDumpTest {
    @TempDir
    Path dir;

    private static final Pattern READY = Pattern.compile("ready (\\d+) alpha=(\\d+) beta=(\\d+) explicit=(\\d+)");

    /** One container of the dump: its name, its parent's, its owner's thread id, its threads' ids → names. */
    record Container(String name, String parent, String owner, Map<String, String> threads) { }

    private Map<String, Container> dump(String pid, String file) throws Exception {
        Path out = dir.resolve(file);
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        CliSupport.Result r = CliSupport.process(List.of(jcmd, pid, "Thread.dump_to_file", "-format=json", out.toString()));
        assertEquals(0, r.status(), r::toString);
        assertTrue(Files.exists(out), () -> "no dump written: " + r);
        Object json = TestJson.parse(Files.readString(out));
        Map<String, Container> byName = new LinkedHashMap<>();
        for (Object o : list(map(map(json).get("threadDump")).get("threadContainers"))) {
            Map<String, Object> c = map(o);
            Map<String, String> threads = new LinkedHashMap<>();
            for (Object t : list(c.get("threads"))) threads.put(String.valueOf(map(t).get("tid")), (String) map(t).get("name"));
            Container k = new Container((String) c.get("container"), (String) c.get("parent"),
                    c.get("owner") == null ? null : String.valueOf(c.get("owner")), threads);
            assertTrue(byName.put(k.name(), k) == null, "container names are unique: " + k.name());
        }
        return byName;
    }

    private static Container contract(Map<String, Container> dump, String id) {
        Container found = null;
        for (Container c : dump.values())
            if (c.name().startsWith("contract " + id + " ")) {
                assertTrue(found == null, "one container for contract " + id);
                found = c;
            }
        return found;
    }

    private static String tidOf(Map<String, Container> dump, String threadName) {
        for (String tid : dump.get("<root>").threads().keySet())
            if (threadName.equals(dump.get("<root>").threads().get(tid))) return tid;
        for (Container c : dump.values())
            for (var e : c.threads().entrySet()) if (e.getValue().equals(threadName)) return e.getKey();
        throw new AssertionError("no thread " + threadName + " in the dump");
    }

    @Test
    void thisJdkHasTheInternalsTheViewNeeds() {
        CliSupport.agentJar();   // skipped in the run without the agent
        assertEquals(null, io.jcontract.agent.boot.ThreadDumpContainers.unsupported());
    }

    @Test
    void contractsAreThreadContainersOfTheJdkDump() throws Exception {
        List<String> cmd = CliSupport.java("-javaagent:" + CliSupport.agentJar(), "-cp", CliSupport.testClassPath(),
                ThreadDumpTarget.class.getName());
        try (CliSupport.Target t = new CliSupport.Target(cmd)) {
            Matcher m = READY.matcher(t.await("ready "));
            assertTrue(m.matches());
            String pid = m.group(1), alpha = m.group(2), beta = m.group(3), explicit = m.group(4);
            Map<String, Container> d = dump(pid, "before.json");

            Container a = contract(d, alpha), b = contract(d, beta), x = contract(d, explicit);
            assertNotNull(a, () -> "service alpha's contract in " + d.keySet());
            assertNotNull(b, () -> "service beta's contract in " + d.keySet());
            assertNotNull(x, () -> "main's contract in " + d.keySet());
            assertEquals("contract " + alpha + " OWNED svc:/test/alpha (start method of svc:/test/alpha)", a.name());
            assertEquals("contract " + beta + " OWNED svc:/test/beta (start method of svc:/test/beta)", b.name());

            // root → regent → one contract per service; the regent's only member is the restarter thread
            Container regent = d.get(a.parent());
            assertNotNull(regent, () -> "alpha's parent " + a.parent() + " is a container of the dump");
            assertEquals(a.parent(), b.parent(), "both services are held by the regent");
            assertTrue(regent.name().contains("OWNED") && regent.name().contains("(restarter dump generation 0)"),
                    regent.name());
            assertEquals("<root>", regent.parent());
            assertEquals(Set.of("dump-restarter-0"), Set.copyOf(regent.threads().values()));
            String restarterTid = tidOf(d, "dump-restarter-0");
            assertEquals(restarterTid, a.owner(), "the restarter thread holds the service contracts");
            assertEquals(restarterTid, b.owner());
            assertEquals(tidOf(d, "dump-supervisor"), regent.owner(), "the supervisor holds the regent");

            // members: threads, and the pool worker while it runs beta's task
            assertEquals(new TreeSet<>(Set.of("alpha-member-0", "alpha-member-1")), new TreeSet<>(a.threads().values()));
            assertEquals(new TreeSet<>(Set.of("beta-member", "dump-pool-worker")), new TreeSet<>(b.threads().values()));

            // held by main, a thread jcontract did not start
            assertEquals("<root>", x.parent());
            assertEquals(tidOf(d, "main"), x.owner());
            assertEquals(List.of("explicit-member"), List.copyOf(x.threads().values()));

            // killed and abandoned (the handle still referenced): gone from the next dump
            assertEquals("killed " + explicit + " live=false", t.send("kill", "killed "));
            Map<String, Container> after = dump(pid, "after.json");
            assertEquals(null, contract(after, explicit), () -> "the dead contract left the dump: " + after.keySet());
            assertNotNull(contract(after, alpha));
            assertNotNull(contract(after, beta));
            List<String> ours = new ArrayList<>();
            for (String n : after.keySet()) if (n.startsWith("contract ")) ours.add(n);
            assertEquals(3, ours.size(), ours::toString);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        assertTrue(o instanceof Map, () -> "a JSON object: " + o);
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        assertTrue(o instanceof List, () -> "a JSON array: " + o);
        return (List<Object>) o;
    }
}
