package io.jcontract.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * ctwatch against a second JVM running the agent (with a short watch idle
 * timeout): events as they happen, from the head with -f, and no watch left
 * behind, whether the client closes it or just goes away.
 */
@Timeout(120)
class CtWatchTest {
    static CliSupport.Target target;

    @BeforeAll
    static void start() throws Exception {
        target = CliSupport.Target.withAgent("-Djcontract.watch.idleMillis=1000");
    }

    @AfterAll
    static void stop() throws Exception {
        target.close();
    }

    /** A PrintStream whose lines arrive in a queue, so the test can wait for ctwatch's header. */
    static final class Lines extends OutputStream {
        final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final StringBuilder line = new StringBuilder();

        @Override
        public synchronized void write(int b) {
            if (b == '\n') {
                lines.add(line.toString());
                line.setLength(0);
            } else {
                line.append((char) b);
            }
        }

        String next() throws InterruptedException {
            String l = lines.poll(CliSupport.WAIT_SECONDS, TimeUnit.SECONDS);
            if (l == null) fail("no line from ctwatch");
            return l;
        }
    }

    @Test
    void eventsOfAContractAsTheyHappen() throws Exception {
        String[] spawned = target.send("spawn", "spawned ").split(" ");
        String id = spawned[1], member = spawned[2];
        Lines out = new Lines();
        CompletableFuture<Integer> watch = CompletableFuture.supplyAsync(() -> Main.run(
                new String[] {"ctwatch", "-n", "2", target.pid(), id},
                new PrintStream(out, true, StandardCharsets.UTF_8), System.err));
        assertEquals(CtWatch.HEADER, out.next(), "the header comes once the watch is open");
        target.send("release", "released");
        String exit = out.next(), empty = out.next();
        assertTrue(exit.matches(id + "\\s+\\d+\\s+info no\\s+process\\s+thread " + member
                + " exited with status 0"), exit);
        assertTrue(empty.matches(id + "\\s+\\d+\\s+crit no\\s+process\\s+contract empty \\(last member thread "
                + member + "\\)"), empty);
        assertTrue(Long.parseLong(empty.split("\\s+")[1]) > Long.parseLong(exit.split("\\s+")[1]), "in order");
        assertEquals(0, watch.get(CliSupport.WAIT_SECONDS, TimeUnit.SECONDS));
        assertEquals(0, watches(), "ctwatch closed its watch");
    }

    @Test
    void fromTheHeadShowsTheCriticalEventStillQueued() throws Exception {
        String id = target.send("crash", "crashed ").split(" ")[1];
        CliSupport.Result r = CliSupport.inProcess("ctwatch", "-f", "-v", "-n", "1", target.pid(), id);
        assertEquals(0, r.status(), r::toString);
        List<String> lines = r.out().lines().toList();
        assertEquals(CtWatch.HEADER, lines.getFirst());
        assertTrue(lines.get(1).matches(id + "\\s+\\d+\\s+crit no\\s+process\\s+contract empty.*"), r::toString);
    }

    @Test
    void aWatchWhoseClientWentAwayIsClosedAfterTheIdleTimeout() throws Exception {
        // (the tools' channel closes a connection's watches when it ends, before the idle timeout would)
        try (TargetJvm jvm = TargetJvm.connect(target.pid())) {
            int before = jvm.contracts.getWatches();
            jvm.contracts.openWatch(new int[0], true, false);       // a reliable watch on every contract
            assertEquals(before + 1, jvm.contracts.getWatches());
        }   // gone without closing it
        try (TargetJvm jvm = TargetJvm.connect(target.pid())) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CliSupport.WAIT_SECONDS);
            while (jvm.contracts.getWatches() != 0) {
                if (System.nanoTime() > deadline) fail("the abandoned watch was never reaped");
                Thread.onSpinWait();
            }
        }
    }

    @Test
    void unknownContractsAreRefused() {
        CliSupport.Result r = CliSupport.inProcess("ctwatch", target.pid(), "999999");
        assertEquals(1, r.status(), r::toString);
        assertTrue(r.err().contains("ctwatch: no live contract has id 999999"), r::toString);
    }

    static int watches() {
        try (TargetJvm jvm = TargetJvm.connect(target.pid())) {
            return jvm.contracts.getWatches();
        }
    }
}
