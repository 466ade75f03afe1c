package io.jcontract.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The small problems a new user met in the tools (issue 15), one test each:
 * options after the pid, no empty table after an error, no raw bytes of a
 * command line in a message, ctrun's messages and defaults, --version,
 * ctwatch's time limit, and a straggler's first application frame.
 */
@Timeout(120)
class CliRoughEdgesTest {
    static CliSupport.Target target;

    @BeforeAll
    static void start() throws Exception {
        target = CliSupport.Target.withAgent();
    }

    @AfterAll
    static void stop() throws Exception {
        if (target != null) target.close();
    }

    @Test
    void optionsMayFollowThePid() throws Exception {
        String id = target.send("spawn", "spawned ").split(" ")[1];
        CliSupport.Result r = CliSupport.inProcess("ctstat", target.pid(), "-v", "-i", id);
        assertEquals(0, r.status(), r::toString);
        assertTrue(r.out().contains("cookie:                0x2a"), r::toString);
        assertEquals(1, r.out().lines().filter(l -> l.matches("\\d+\\s+process.*")).count(), "only -i's: " + r);
        CliSupport.Result w = CliSupport.inProcess("ctwatch", target.pid(), "-f", "-n", "1", "-w", "1");
        assertEquals(0, w.status(), w::toString);
        // "--" still ends the options: what follows is an operand
        CliSupport.Result dashes = CliSupport.inProcess("ctstat", "--", target.pid(), "-v");
        assertEquals(2, dashes.status(), dashes::toString);
        assertTrue(dashes.err().contains("invalid interval '-v'"), dashes::toString);
    }

    @Test
    void anUnknownContractGivesItsErrorAndNoEmptyTable() {
        CliSupport.Result r = CliSupport.inProcess("ctstat", "-i", "999999", target.pid());
        assertEquals(1, r.status(), r::toString);
        assertTrue(r.err().startsWith("ctstat: contract 999999: no contract has id 999999"), r::toString);
        assertEquals(1, r.err().lines().count(), r::toString);
        assertEquals("", r.out(), "no table header without a row: " + r);
        CliSupport.Result some = CliSupport.inProcess("ctstat", "-i", "1,999999", target.pid());
        assertEquals(1, some.status(), some::toString);
        assertTrue(some.out().startsWith("CTID"), "a table when a contract is shown: " + some);
    }

    @Test
    void aNonJavaProcessIsNamedWithoutRawBytes() throws Exception {
        Process sleep = new ProcessBuilder("sleep", "60").start();
        try {
            CliSupport.Result r = CliSupport.inProcess("ctstat", String.valueOf(sleep.pid()));
            assertEquals(1, r.status(), r::toString);
            assertTrue(r.err().contains("is not a Java VM"), r::toString);
            String line = r.err().strip();
            assertEquals(1, line.lines().count(), r::toString);
            assertTrue(line.chars().noneMatch(c -> c < 0x20 || c == 0x7f), "no control characters: "
                    + line.replace("\0", "\\0"));
        } finally {
            sleep.destroyForcibly();
        }
    }

    @Test
    void noneMixedWithEventsIsNamedAsSuch() {
        CliSupport.Result r = CliSupport.inProcess("ctrun", "-f", "core,none", "Main");
        assertEquals(125, r.status(), r::toString);
        String first = r.err().lines().findFirst().orElse("");
        assertEquals("ctrun: 'none' in -f cannot be combined with events: give none alone, or only events", first,
                r::toString);
    }

    @Test
    void ctrunHelpShowsTheDefaults() {
        CliSupport.Result r = CliSupport.inProcess("ctrun", "--help");
        assertEquals(0, r.status(), r::toString);
        assertTrue(r.out().contains("(default: core)"), "-i's default: " + r);
        assertTrue(r.out().contains("(default: hwerr"), "-f's default: " + r);
        assertTrue(r.out().contains("(default: none)"), "-c's default: " + r);
        assertTrue(r.out().contains("without -f, -r makes the fatal set core,hwerr"), "-r's rule: " + r);
    }

    @Test
    void restartWithoutFatalSetRestartsAfterAnUncaughtException(@TempDir Path dir) throws Exception {
        Path marker = dir.resolve("crashed");
        CliSupport.Result r = CtRunTest.ctrun("-r", "2", "-cp", CtRunTest.testClasses(), CtRunApp.class.getName(),
                "crash-once", marker.toString());
        assertEquals(0, r.status(), "restarted after the crash, the second run succeeded: " + r);
        assertTrue(Files.exists(marker));
        Matcher m = Pattern.compile("run in contract (\\d+)").matcher(r.out());
        int runs = 0;
        while (m.find()) runs++;
        assertEquals(2, runs, r::toString);
    }

    @Test
    void ctrunThroughTheJarPrintsNoClassSharingWarning() throws Exception {
        // CliSupport.java runs with -Xshare:auto, as a plain `java -jar jcontract-agent.jar ctrun` does
        CliSupport.Result r = CtRunTest.ctrun("-cp", CtRunTest.testClasses(), CtRunApp.class.getName(), "ok");
        assertEquals(0, r.status(), r::toString);
        assertTrue(r.out().startsWith("run in contract "), r::toString);
        assertFalse(r.err().contains("Sharing is only supported"), r::toString);
        assertEquals("", r.err(), r::toString);
    }

    @Test
    void ctrunThroughTheJarRunsTheCommandInItsOwnJvmWithTheLookupBridge() throws Exception {
        // before: a JVM with class sharing on handed the command to a child JVM with -Xshare:off
        CliSupport.Result r = CtRunTest.ctrun("-cp", CtRunTest.testClasses(), CtRunApp.class.getName(), "where");
        assertEquals(0, r.status(), r::toString);
        assertTrue(r.out().contains("child-jvm null loader lookup"), r::toString);
        assertEquals("", r.err(), r::toString);
    }

    @Test
    void everyToolHasAVersion() {
        for (List<String> args : List.of(List.of("--version"), List.of("ctstat", "--version"),
                List.of("ctwatch", "--version"), List.of("ctrun", "--version"))) {
            CliSupport.Result r = CliSupport.inProcess(args.toArray(String[]::new));
            assertEquals(0, r.status(), args + ": " + r);
            String name = args.size() == 1 ? "jcontract" : args.getFirst();
            assertTrue(r.out().strip().matches(Pattern.quote(name) + " \\(jcontract\\) \\d+\\.\\d+\\.\\d+\\S*"),
                    args + ": " + r);
        }
    }

    @Test
    void ctwatchStopsAtItsTimeLimit() throws Exception {
        String id = target.send("spawn", "spawned ").split(" ")[1];   // parks: no event will come
        CliSupport.Result r = CliSupport.inProcess("ctwatch", "-n", "5", "-w", "1", target.pid(), id);
        assertEquals(0, r.status(), r::toString);
        assertEquals(List.of(CtWatch.HEADER), r.out().lines().toList(), r::toString);
        assertTrue(r.err().contains("ctwatch: 0 of 5 events in 1 s"), r::toString);
        assertTrue(CliSupport.inProcess("ctwatch", "--help").out().contains("-w seconds"), "documented");
    }

    @Test
    void aStragglerShowsItsFirstApplicationFrame() throws Exception {
        String[] s = target.send("straggle", "straggling ").split(" ");
        String id = s[1];
        assertEquals("1", s[3], "the member outlived the kill's wait");
        CliSupport.Result v = CliSupport.inProcess("ctstat", "-v", "-i", id, target.pid());
        assertEquals(0, v.status(), v::toString);
        List<String> frames = v.out().lines().filter(l -> l.strip().startsWith("at ")).toList();
        assertTrue(frames.stream().anyMatch(l -> l.contains(CliTarget.class.getName() + ".")),
                "the first application frame: " + v);
        assertTrue(v.out().contains("-vv for the whole stack"), v::toString);
        CliSupport.Result vv = CliSupport.inProcess("ctstat", "-vv", "-i", id, target.pid());
        long deep = vv.out().lines().filter(l -> l.strip().startsWith("at ")).count();
        assertTrue(deep > frames.size(), "-vv shows more: " + vv);
        assertTrue(vv.out().lines().anyMatch(l -> l.contains("java.lang.Thread.run(")), vv::toString);
        assertFalse(vv.out().contains("-vv for the whole stack"), vv::toString);
        target.send("release", "released");
    }
}
