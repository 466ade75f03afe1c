package io.jcontract.internal;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * The post-mortem file of a CORE event (the JVM's analogue of the core file
 * {@code contract_process_core} lets the kernel write): the throwable that
 * killed the member and the stack of every member still running in the
 * contract, written to the directory named by the system property
 * {@value #DIR_PROPERTY} (the agent's {@code postmortem=DIR} argument sets it).
 *
 * <h2>Theory of operation</h2>
 * Off unless the property names a directory. The dying member's thread
 * writes the file before the CORE event is published, so the event can carry
 * its path and the stacks show the contract as the failure left it (before
 * any fatal-set kill). The member list is a snapshot taken under the
 * contract's lock; stacks are taken and the file written with no lock held.
 * A file that cannot be written costs the event its path, never the event:
 * the failure is reported once on {@code System.err}.
 */
final class PostMortem {
    static final String DIR_PROPERTY = "jcontract.postmortem.dir";

    private static volatile boolean warned;

    private PostMortem() {
    }

    /** Writes the file if post-mortems are on; returns its path, or null. */
    static Path write(ContractImpl c, Member dying, Throwable cause) {
        String dir = System.getProperty(DIR_PROPERTY);
        if (dir == null || dir.isBlank()) return null;
        try {
            Path d = Files.createDirectories(Path.of(dir));
            Path file = d.resolve("jcontract-core-" + c.id + "-" + dying.id + "-" + System.currentTimeMillis() + ".txt");
            Files.writeString(file, render(c, dying, cause), StandardCharsets.UTF_8);
            return file;
        } catch (IOException | RuntimeException e) {
            if (!warned) {
                warned = true;
                System.err.println("[jcontract] cannot write post-mortem file to " + dir + ": " + e);
            }
            return null;
        }
    }

    private static String render(ContractImpl c, Member dying, Throwable cause) {
        StringWriter out = new StringWriter();
        PrintWriter w = new PrintWriter(out);
        Thread self = Thread.currentThread();
        w.printf("jcontract post-mortem: contract %d, member %d (%s) died at %s%n%n",
                c.id, dying.id, self.getName(), Instant.now());
        w.println("cause:");
        cause.printStackTrace(w);
        List<ContractImpl.RunningMember> running = c.runningMembers();
        w.printf("%nmembers still running: %d%n", running.size());
        for (ContractImpl.RunningMember rm : running) {
            Thread t = rm.thread();
            w.printf("%nmember %d%s, parent %d, %s%s%n", rm.id(), rm.task() ? " (pooled task)" : "",
                    rm.parent(), t == null ? "no thread" : "thread \"" + t.getName() + "\"",
                    rm.killed() ? ", killed" : "");
            if (t == null) continue;
            if (t == self) {
                w.println("\t(the dying member: see the cause)");
                continue;
            }
            for (StackTraceElement f : t.getStackTrace()) w.println("\tat " + f);
        }
        w.flush();
        return out.toString();
    }
}
