package io.jcontract.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jcontract.agent.AttachTarget;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The commands' errors: each way of not reaching a JVM's contracts gets its own message and status. */
@Timeout(120)
class CliErrorsTest {

    @Test
    void aPidNobodyHas() {
        long pid = 4_000_000;
        while (ProcessHandle.of(pid).isPresent()) pid--;
        CliSupport.Result r = CliSupport.inProcess("ctstat", String.valueOf(pid));
        assertEquals(1, r.status(), r::toString);
        assertEquals("ctstat: no process has pid " + pid, r.err().strip());
    }

    @Test
    void aProcessThatIsNotAJvm() throws Exception {
        Process sleep = new ProcessBuilder("sleep", "60").start();
        try {
            CliSupport.Result r = CliSupport.inProcess("ctwatch", String.valueOf(sleep.pid()));
            assertEquals(1, r.status(), r::toString);
            assertTrue(r.err().startsWith("ctwatch: process " + sleep.pid() + " (/usr/bin/sleep) is not a Java VM")
                    || r.err().startsWith("ctwatch: process " + sleep.pid() + " (/bin/sleep) is not a Java VM"), r::toString);
        } finally {
            sleep.destroyForcibly();
        }
    }

    @Test
    void aJvmWithoutJcontract() throws Exception {
        try (CliSupport.Target plain = new CliSupport.Target(CliSupport.java("-cp", CliSupport.testClassPath(),
                AttachTarget.class.getName()))) {
            plain.await("ready");
            CliSupport.Result r = CliSupport.inProcess("ctstat", plain.pid());
            assertEquals(1, r.status(), r::toString);
            assertTrue(r.err().contains("does not run jcontract: it has no MBean io.jcontract:type=Contracts"),
                    r::toString);
        }
    }

    @Test
    void aJvmThatRefusesTheAttach() throws Exception {
        try (CliSupport.Target closed = new CliSupport.Target(CliSupport.java("-XX:+DisableAttachMechanism",
                "-cp", CliSupport.testClassPath(), AttachTarget.class.getName()))) {
            closed.await("ready");
            CliSupport.Result r = CliSupport.inProcess("ctstat", closed.pid());
            assertEquals(1, r.status(), r::toString);
            assertTrue(r.err().contains("refused the attach") || r.err().contains("is not a Java VM that accepts attach"),
                    r::toString);
        }
    }

    @Test
    void usageErrorsAndHelp() {
        for (List<String> args : List.of(List.of("ctstat"), List.of("ctstat", "abc"), List.of("ctstat", "-x", "1"),
                List.of("ctstat", "-t", "file", "1"), List.of("ctwatch", "1", "latest"), List.of("nosuch"))) {
            CliSupport.Result r = CliSupport.inProcess(args.toArray(String[]::new));
            assertEquals(2, r.status(), args + ": " + r);
            assertTrue(r.err().contains("Usage:"), args + ": " + r);
        }
        for (String command : List.of("ctstat", "ctwatch", "ctrun")) {
            CliSupport.Result r = CliSupport.inProcess(command, "--help");
            assertEquals(0, r.status(), r::toString);
            assertTrue(r.out().startsWith("Usage: " + command), r::toString);
        }
    }
}
