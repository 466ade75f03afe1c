package io.jcontract.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** ctstat against a second JVM running the agent: the table, -v, -i, -a, interval and count, the jar's Main-Class. */
@Timeout(120)
class CtStatTest {
    static CliSupport.Target target;

    @BeforeAll
    static void start() throws Exception {
        target = CliSupport.Target.withAgent();
    }

    @AfterAll
    static void stop() throws Exception {
        target.close();
    }

    @Test
    void theTableHasARowPerContractAndVerboseShowsTheTerms() throws Exception {
        String[] spawned = target.send("spawn", "spawned ").split(" ");
        String id = spawned[1], member = spawned[2];
        CliSupport.Result r = CliSupport.inProcess("ctstat", target.pid());
        assertEquals(0, r.status(), r::toString);
        List<String> lines = r.out().lines().toList();
        assertEquals("CTID    TYPE     STATE      HOLDER     EVENTS  MEMBERS", lines.getFirst(), r::toString);
        assertTrue(lines.stream().anyMatch(l -> l.matches("1\\s+process\\s+owned\\s+-\\s+0\\s+0")), "the root: " + r);
        assertTrue(lines.stream().anyMatch(l -> l.matches(id + "\\s+process\\s+owned\\s+\\d+\\s+0\\s+1")), r::toString);

        CliSupport.Result v = CliSupport.inProcess("ctstat", "-v", "-i", id, target.pid());
        assertEquals(0, v.status(), v::toString);
        String out = v.out();
        assertTrue(Pattern.compile("^" + id + "\\s+process\\s+owned", Pattern.MULTILINE).matcher(out).find(), out);
        assertTrue(out.contains("cookie:                0x2a"), out);
        assertTrue(out.contains("informative event set: fork exit"), out);
        assertTrue(out.contains("critical event set:    empty hwerr"), out);
        assertTrue(out.contains("parameter set:         noorphan"), out);
        assertTrue(out.contains("member threads:        " + member + " parked-worker"), out);
        assertTrue(out.contains("creator aux:           cli-test"), out);
        assertTrue(out.contains("inherited contracts:   none"), out);
        assertTrue(out.contains("owned resources:       none"), out);
        assertEquals(1, out.lines().filter(l -> l.startsWith("CTID")).count(), "one report, one contract");
    }

    @Test
    void verboseShowsWhatTheContractOwns() throws Exception {
        String[] owning = target.send("own", "owning ").split(" ", 3);
        String id = owning[1], owned = owning[2];
        assertTrue(owned.matches("\\w+ sun\\.nio\\.ch\\.ServerSocketChannelImpl@\\p{XDigit}+"), "the target's status: " + owned);
        CliSupport.Result v = CliSupport.inProcess("ctstat", "-v", "-i", id, target.pid());
        assertEquals(0, v.status(), v::toString);
        assertTrue(v.out().contains("owned resources:       " + owned), v::toString);
        target.send("release", "released");
    }

    @Test
    void deadContractsStillReferencedShowOnlyWithA() throws Exception {
        target.send("drop", "dropped");
        String id = target.send("spawn", "spawned ").split(" ")[1];
        target.send("release", "released");
        // seen live once, then abandoned while the target keeps its handle: dead, still referenced
        assertTrue(CliSupport.inProcess("ctstat", target.pid()).out().lines().anyMatch(l -> l.startsWith(id + " ")));
        target.send("abandon", "abandoned");
        Pattern dead = Pattern.compile("^" + id + "\\s+process\\s+dead\\s+-\\s+0\\s+0$", Pattern.MULTILINE);
        CliSupport.Result live = CliSupport.inProcess("ctstat", target.pid());
        assertTrue(live.out().lines().noneMatch(l -> l.startsWith(id + " ")), live::toString);
        CliSupport.Result all = CliSupport.inProcess("ctstat", "-a", target.pid());
        assertTrue(dead.matcher(all.out()).find(), all::toString);
        CliSupport.Result named = CliSupport.inProcess("ctstat", "-i", id + ",999999", target.pid());
        assertEquals(1, named.status(), "999999 does not exist: " + named);
        assertTrue(dead.matcher(named.out()).find(), named::toString);
        assertTrue(named.err().contains("ctstat: contract 999999: no contract has id 999999"), named::toString);
    }

    @Test
    void intervalAndCountRepeatTheReportThroughTheJarsMainClass() throws Exception {
        CliSupport.Result r = CliSupport.process(CliSupport.java("-jar", CliSupport.agentJar(), "ctstat",
                "-t", "process", target.pid(), "1", "2"));
        assertEquals(0, r.status(), r::toString);
        assertEquals(2, r.out().lines().filter(l -> l.startsWith("CTID")).count(), r::toString);
        assertEquals(2, r.out().lines().filter(l -> l.matches("1\\s+process\\s+owned.*")).count(), r::toString);
    }
}
