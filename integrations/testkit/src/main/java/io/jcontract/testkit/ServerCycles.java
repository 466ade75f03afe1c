package io.jcontract.testkit;

import io.jcontract.Contract;
import io.jcontract.ContractTemplate;
import io.jcontract.Infrastructure;
import io.jcontract.Contracts;
import io.jcontract.KillReport;
import io.jcontract.StatusDetail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Start/serve/kill cycles of a real server inside a contract, under the agent
 * (shared by the integration modules' tests): the server code
 * runs unmodified in a member, requests come from outside over loopback, the
 * contract is killed with no stop call of the test's, and each cycle checks
 * EMPTY, that the server's threads are gone and that its port refuses. Over
 * the cycles the JVM's threads, the live contracts, the open file descriptors
 * and the heap used after a GC must not grow.
 */
public final class ServerCycles {
    public static final Duration EMPTY_BOUND = Duration.ofSeconds(20);
    public static final Duration WAIT = Duration.ofSeconds(30);

    /** What one measurement saw. */
    public record Sample(int threads, int allThreads, int contracts, int fds, long heapUsed) {
        public static Sample now() {
            for (int i = 0; i < 3; i++) System.gc();
            return new Sample(applicationThreads(), ManagementFactory.getThreadMXBean().getThreadCount(),
                    Contracts.ids().size(), openFds(), ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }

        /**
         * The JVM's live threads less its own infrastructure, which comes and goes with load whatever
         * contracts do: the virtual-thread scheduler's carriers (a JDK pool that grows to the number of
         * cores and shrinks after 30 s idle) and the threads {@link Infrastructure} names.
         */
        private static int applicationThreads() {
            int n = 0;
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                ThreadGroup g = t.getThreadGroup();
                if (!t.isAlive() || Infrastructure.isInfrastructure(t) || g != null && g.getName().equals("CarrierThreads"))
                    continue;
                n++;
            }
            return n;
        }

        private static int openFds() {
            try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
                return (int) s.count();
            } catch (IOException e) {
                return -1;
            }
        }

        @Override
        public String toString() {
            return "threads=" + threads + " (all: " + allThreads + ") contracts=" + contracts + " fds=" + fds + " heapUsed=" + heapUsed / 1024 + "KiB";
        }
    }

    private ServerCycles() {
    }

    /**
     * Runs {@code cycles} cycles of {@code server}, which is given a future to complete with
     * its port once it serves; {@code requests} GETs of {@code /} each, answered with {@code expect}.
     * Prints one line per cycle and the first/last samples; returns the kill-to-EMPTY times (ms).
     */
    public static List<Double> run(String label, int cycles, int requests, String expect, Consumer<CompletableFuture<Integer>> server)
            throws Exception {
        List<Double> emptyMs = new ArrayList<>();
        List<Sample> samples = new ArrayList<>();
        for (int n = 1; n <= cycles; n++) {
            final int cycle = n;
            Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());
            CompletableFuture<Integer> port = new CompletableFuture<>();
            Contract c;
            try (var a = ContractTemplate.process().activate()) {
                new Thread(() -> server.accept(port), label + "-main").start();
                c = Contracts.latest();
            }
            int p = port.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            for (int i = 0; i < requests; i++) {
                String body = get(p);
                if (!body.endsWith(expect)) fail("cycle " + cycle + " request " + i + ": " + body);
            }
            // the server's threads: the platform threads that are members now (virtual ones are not listed by
            // the JVM; they are members too, and EMPTY covers them); any other thread left over shows in the count
            Set<Long> memberIds = new HashSet<>();
            c.status(StatusDetail.ALL).members().forEach(mi -> memberIds.add(mi.id()));
            Set<Thread> serverThreads = new HashSet<>(Thread.getAllStackTraces().keySet());
            serverThreads.removeAll(before);
            serverThreads.removeIf(t -> !memberIds.contains(t.threadId()) || Infrastructure.isInfrastructure(t));

            long t0 = System.nanoTime();
            Contract.KillHandle kill = c.kill();
            KillReport r = kill.awaitEmpty(Duration.ofSeconds(2));
            if (!r.empty()) {       // not a failure yet: say who is slow, then wait the full bound
                System.out.println("[" + label + "] cycle " + cycle + ": not empty after 2 s: " + r);
                r = kill.awaitEmpty(EMPTY_BOUND);
            }
            double waited = (System.nanoTime() - t0) / 1e6;
            assertTrue(r.empty(), "cycle " + cycle + ": EMPTY within " + EMPTY_BOUND + ": " + r);
            emptyMs.add(r.elapsed().toNanos() / 1e6);

            long deadline = System.nanoTime() + WAIT.toNanos();
            for (Thread t : serverThreads) {
                while (t.isAlive()) {
                    if (System.nanoTime() - deadline > 0) fail("cycle " + cycle + ": server thread alive after the kill: " + t
                            + " " + List.of(t.getStackTrace()));
                    LockSupport.parkNanos(1_000_000L);
                }
            }
            assertThrows(ConnectException.class, () -> connect(p), "cycle " + cycle + ": port " + p + " refuses");
            // rung 4 runs on the kill's own threads: measure once it is over (bounded), as its report says
            KillReport done = r;
            while (done.resources().stream().anyMatch(x -> x.outcome() == KillReport.Outcome.RUNNING)) {
                if (System.nanoTime() - deadline > 0) fail("cycle " + cycle + ": rung 4 still running: " + done);
                LockSupport.parkNanos(1_000_000L);
                done = kill.awaitEmpty(EMPTY_BOUND);
            }
            r = done;
            if (r.resources().stream().anyMatch(x -> x.outcome() == KillReport.Outcome.TIMED_OUT))
                Thread.getAllStackTraces().forEach((t, st) -> {
                    if (t.getName().startsWith("jcontract-kill-"))
                        System.out.println("[" + label + "] cycle " + cycle + ": rung 4 step overran: " + t + " " + List.of(st));
                });
            c.abandon();
            Sample s = Sample.now();
            samples.add(s);
            System.out.printf("[%s] cycle %d: %d requests, %d server threads, kill to EMPTY %.1f ms (wait returned after %.1f ms), rung 4 %s; %s%n",
                    label, cycle, requests, serverThreads.size(), emptyMs.get(emptyMs.size() - 1), waited,
                    r.resources().stream().map(x -> x.what() + ":" + x.outcome()).toList(), s);
        }
        // Cycle 3 onward: the first cycles load classes and start JVM-wide singletons once.
        Sample base = samples.get(2), last = samples.get(samples.size() - 1);
        System.out.println("[" + label + "] after cycle 3: " + base + "; after cycle " + cycles + ": " + last);
        assertTrue(last.threads() <= base.threads(), "threads grew: " + base + " -> " + last);
        assertEquals(base.contracts(), last.contracts(), "live contracts grew: " + base + " -> " + last);
        assertTrue(last.fds() <= base.fds() + 2, "fds grew: " + base + " -> " + last);
        assertTrue(last.heapUsed() <= base.heapUsed() + 16L * 1024 * 1024, "used heap grew: " + base + " -> " + last);
        return emptyMs;
    }

    private static void connect(int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2_000);
        }
    }

    /** One HTTP/1.1 GET with Connection: close, over a plain socket; the whole response. */
    public static String get(int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            in.transferTo(buf);
            return buf.toString(StandardCharsets.US_ASCII);
        }
    }
}
