package io.jcontract.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * ctrun as {@code java -jar jcontract-agent.jar ctrun ...} (the jar's
 * launcher agent installs the agent): the command and the threads it starts
 * run in one new contract, restarts after a fatal event, exit statuses,
 * and ctrun(1)'s invalid combinations.
 */
@Timeout(120)
class CtRunTest {
    private static final Pattern RUN = Pattern.compile("run in contract (\\d+) child (\\d+)");

    static CliSupport.Result ctrun(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("-jar", CliSupport.agentJar(), "ctrun"));
        cmd.addAll(List.of(args));
        return CliSupport.process(CliSupport.java(cmd.toArray(String[]::new)));
    }

    static String testClasses() throws Exception {
        return Path.of(CtRunApp.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    @Test
    void theCommandAndTheThreadsItStartsRunInANewContract() throws Exception {
        CliSupport.Result r = ctrun("-v", "-cp", testClasses(), "--", CtRunApp.class.getName(), "ok");
        assertEquals(0, r.status(), r::toString);
        Matcher m = RUN.matcher(r.out());
        assertTrue(m.find(), r::toString);
        assertNotEquals("1", m.group(1), "not the root contract");
        assertEquals(m.group(1), m.group(2), "the thread main started is in the same contract");
        assertTrue(r.err().contains("created contract id " + m.group(1) + " for " + CtRunApp.class.getName()), r::toString);
    }

    @Test
    void aFatalEventRestartsTheCommandInANewContract(@TempDir Path dir) throws Exception {
        Path marker = dir.resolve("crashed");
        CliSupport.Result r = ctrun("-v", "-r", "2", "-f", "core", "-cp", testClasses(), CtRunApp.class.getName(),
                "crash-once", marker.toString());
        assertEquals(0, r.status(), "the second run succeeded: " + r);
        assertTrue(Files.exists(marker));
        Matcher m = RUN.matcher(r.out());
        assertTrue(m.find(), r::toString);
        String first = m.group(1);
        assertTrue(m.find(), "a second run: " + r);
        assertNotEquals(first, m.group(1), "in a new contract");
        assertTrue(r.err().contains("fatal \"core\" event from contract " + first), r::toString);
        assertTrue(r.err().contains("restarting command (restart 1)"), r::toString);
    }

    @Test
    void exitStatusIsTheCommands() throws Exception {
        CliSupport.Result failed = ctrun("-cp", testClasses(), CtRunApp.class.getName(), "fail");
        assertEquals(1, failed.status(), "main threw, as java would: " + failed);
        assertTrue(failed.err().contains("IllegalArgumentException: always fails"), failed::toString);
        CliSupport.Result missing = CliSupport.inProcess("ctrun", "-cp", testClasses(), "no.such.Main");
        assertEquals(127, missing.status(), missing::toString);
        assertTrue(missing.err().contains("main class no.such.Main not found"), missing::toString);
        CliSupport.Result noMain = CliSupport.inProcess("ctrun", "-cp", testClasses(), CliSupport.class.getName());
        assertEquals(126, noMain.status(), noMain::toString);
    }

    @Test
    void invalidCombinationsAreUsageErrors() {
        String[][] cases = {
                {"cannot transfer when not restarting", "-t"},
                {"cannot use option 'noorphan' with lifetime 'none'", "-l", "none", "-o", "noorphan"},
                {"cannot restart with lifetime 'child'", "-l", "child", "-r", "1"},
                {"cannot restart with option 'pgrponly'", "-o", "pgrponly", "-r", "0"},
                {"event 'empty' cannot be fatal", "-f", "empty"},
                {"unrecognized option 'bogus' in -o", "-o", "bogus"},
                {"invalid lifetime 'forever'", "-l", "forever"},
                {"no command given", "-v"},
        };
        for (String[] c : cases) {
            List<String> args = new ArrayList<>(List.of("ctrun"));
            args.addAll(List.of(c).subList(1, c.length));
            if (!c[0].equals("no command given")) args.add("Main");
            CliSupport.Result r = CliSupport.inProcess(args.toArray(String[]::new));
            assertEquals(125, r.status(), c[0] + ": " + r);
            assertTrue(r.err().startsWith("ctrun: " + c[0]), c[0] + ": " + r);
            assertTrue(r.err().contains("Usage: ctrun"), r::toString);
        }
    }
}
