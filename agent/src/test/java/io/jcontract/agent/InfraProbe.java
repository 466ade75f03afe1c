package io.jcontract.agent;

import io.jcontract.Contract;
import io.jcontract.ContractTemplate;
import io.jcontract.Contracts;
import io.jcontract.Infrastructure;
import io.jcontract.KillReport;
import io.jcontract.MemberInfo;
import io.jcontract.StatusDetail;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.ref.Cleaner;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

/**
 * A fresh JVM under the agent (run by {@link InfrastructureTest}) in which a member is the first
 * to use one JDK facility that starts JVM-wide threads: the facility's threads must not become
 * members, the member's contract is killed and empties, and the facility still works from outside.
 * Prints {@code PROBE OK <kind>} or {@code PROBE FAIL <kind>: why} and exits 0 or 1.
 */
public final class InfraProbe {
    private static final Duration BOUND = Duration.ofSeconds(20);
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static volatile Object keep;

    public static void main(String[] args) throws Exception {
        String kind = args[0];
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(90_000);
                System.out.println("PROBE FAIL " + kind + ": watchdog (90 s)");
                Runtime.getRuntime().halt(2);
            } catch (InterruptedException ignored) {
            }
        });
        watchdog.setDaemon(true);
        watchdog.start();
        try {
            String why = run(kind);
            System.out.println(why == null ? "PROBE OK " + kind : "PROBE FAIL " + kind + ": " + why);
            System.out.flush();
            if (!kind.equals("shutdown-hooks")) Runtime.getRuntime().halt(why == null ? 0 : 1);
        } catch (Throwable t) {
            System.out.println("PROBE FAIL " + kind + ": " + t);
            t.printStackTrace(System.out);
            System.out.flush();
            Runtime.getRuntime().halt(1);
        }
    }

    /** Starts {@code body} as the first member of a new contract; returns once it triggered the facility. */
    private static Contract member(Runnable body) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        Contract c;
        try (var a = ContractTemplate.process().activate()) {
            new Thread(() -> {
                try {
                    body.run();
                } finally {
                    done.countDown();
                }
                try {
                    Thread.sleep(Long.MAX_VALUE);       // stays until the kill
                } catch (InterruptedException ignored) {
                }
            }, "probe-member").start();
            c = Contracts.latest();
        }
        if (!done.await(BOUND.toSeconds(), TimeUnit.SECONDS)) throw new AssertionError("the member did not trigger");
        return c;
    }

    /** Null if no member of {@code c} matches; else their names. */
    private static String members(Contract c, Predicate<String> infraName) {
        return members(c, infraName, true);
    }

    /** As above; {@code tasks} false: only thread members count (a pool's worker may still be ending our task). */
    private static String members(Contract c, Predicate<String> infraName, boolean tasks) {
        List<String> bad = new ArrayList<>();
        for (MemberInfo m : c.view().status(StatusDetail.ALL).members())
            if (infraName.test(m.name()) && (tasks || !m.task())) bad.add(m.name() + (m.task() ? " (task)" : ""));
        return bad.isEmpty() ? null : "infrastructure threads are members: " + bad;
    }

    /** Null if the contract has no pending task (the facility's own timers are not the member's). */
    private static String pending(Contract c) {
        int n = c.view().status(StatusDetail.ALL).pendingTasks();
        return n == 0 ? null : n + " of the JDK's own tasks are pending members of the contract";
    }

    private static String kill(Contract c) throws InterruptedException {
        KillReport r = c.kill().awaitEmpty(BOUND);
        return r.empty() ? null : "not EMPTY " + BOUND.toSeconds() + " s after the kill; left: " + r.stragglers();
    }

    /** Platform threads whose name matches, alive and not interrupted. */
    private static String untouched(Predicate<String> infraName) {
        List<String> bad = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet())
            if (infraName.test(t.getName()) && t.isInterrupted()) bad.add(t.getName());
        return bad.isEmpty() ? null : "infrastructure threads interrupted: " + bad;
    }

    private static String first(String... whys) {
        for (String w : whys) if (w != null) return w;
        return null;
    }

    private static String run(String kind) throws Exception {
        return switch (kind) {
            case "vthread-socket" -> vthreadSocket();
            case "process" -> process();
            case "shutdown-hooks" -> shutdownHooks();
            case "cleaner" -> cleaner();
            case "rmi" -> rmi();
            case "declared" -> declared();
            case "common-pool" -> commonPool();
            default -> "unknown kind " + kind;
        };
    }

    // ------------------------------------------------------------------ kinds

    /** One echo over loopback, both ends on virtual threads; null if it completed within the bound. */
    private static String echo() throws Exception {
        try (ServerSocket ss = new ServerSocket(0, 50, LOOPBACK)) {
            int[] got = {-1};
            Thread server = Thread.ofVirtual().start(() -> {
                try (Socket s = ss.accept()) {
                    s.getOutputStream().write(s.getInputStream().read());
                } catch (Exception ignored) {
                }
            });
            Thread client = Thread.ofVirtual().start(() -> {
                try (Socket s = new Socket(LOOPBACK, ss.getLocalPort())) {
                    s.setSoTimeout((int) BOUND.toMillis());
                    OutputStream out = s.getOutputStream();
                    InputStream in = s.getInputStream();
                    out.write(42);
                    got[0] = in.read();
                } catch (Exception ignored) {
                }
            });
            boolean ended = client.join(BOUND) & server.join(BOUND);
            return ended && got[0] == 42 ? null : "virtual-thread socket I/O on 127.0.0.1 did not complete (read " + got[0] + ")";
        }
    }

    private static String vthreadSocket() throws Exception {
        String[] inside = new String[1];
        Contract c = member(() -> {
            try {
                inside[0] = echo();
            } catch (Exception e) {
                inside[0] = e.toString();
            }
        });
        Predicate<String> poller = n -> n.contains("Poller");
        return first(inside[0], members(c, poller), kill(c), untouched(poller), echo(), echo());
    }

    private static String process() throws Exception {
        Process[] longOne = new Process[1];
        Contract c = member(() -> {
            try {
                longOne[0] = new ProcessBuilder("sleep", "120").start();
                Process p = new ProcessBuilder("true").start();
                p.onExit().get(BOUND.toSeconds(), TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        Predicate<String> reaper = n -> n.startsWith("process reaper");
        String why = first(members(c, reaper), kill(c), untouched(reaper));
        if (why != null) {
            longOne[0].destroyForcibly();
            return why;
        }
        Process p = new ProcessBuilder("true").start();
        if (!p.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS)) return "a process started from outside did not end";
        p.onExit().get(BOUND.toSeconds(), TimeUnit.SECONDS);
        longOne[0].destroy();
        longOne[0].onExit().get(BOUND.toSeconds(), TimeUnit.SECONDS);   // its reaper was left alone
        return null;
    }

    /**
     * A killed member that swallows the interrupt calls System.exit: the JVM's shutdown hooks must
     * still run (starting them is no fork of the killed member), and the exit must not spin.
     */
    private static String shutdownHooks() throws Exception {
        CountDownLatch exitNow = new CountDownLatch(1), registered = new CountDownLatch(1);
        Contract c;
        try (var a = ContractTemplate.process().activate()) {
            new Thread(() -> {
                Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("HOOK RAN")));
                registered.countDown();
                for (;;) {
                    try {
                        exitNow.await();
                        break;
                    } catch (InterruptedException swallowed) {
                        // the kill: ignored on purpose
                    }
                }
                System.exit(0);
            }, "probe-exiter").start();
            c = Contracts.latest();
        }
        if (!registered.await(BOUND.toSeconds(), TimeUnit.SECONDS)) return "the member did not register its hook";
        c.kill();
        System.out.println("PROBE KILLED");
        System.out.flush();
        exitNow.countDown();
        Thread.sleep(Long.MAX_VALUE);   // the member's System.exit ends the JVM
        return null;
    }

    private static String cleaner() throws Exception {
        CountDownLatch cleaned = new CountDownLatch(1);
        Contract c = member(() -> {
            Object o = new Object();
            keep = o;
            Cleaner.create().register(o, cleaned::countDown);
        });
        Predicate<String> cleanerThread = n -> n.startsWith("Cleaner-") || n.equals("Common-Cleaner");
        String why = first(members(c, cleanerThread), kill(c), untouched(cleanerThread));
        if (why != null) return why;
        keep = null;
        long end = System.nanoTime() + BOUND.toNanos();
        while (!cleaned.await(100, TimeUnit.MILLISECONDS)) {
            if (System.nanoTime() > end) return "the member's cleaning action never ran after the kill";
            System.gc();
        }
        return null;
    }

    private static String rmi() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
            port = s.getLocalPort();
        }
        System.setProperty("java.rmi.server.hostname", "127.0.0.1");
        Registry[] reg = new Registry[1];
        Contract c = member(() -> {
            try {
                reg[0] = LocateRegistry.createRegistry(port);
                LocateRegistry.getRegistry("127.0.0.1", port).list();   // a client call: RMI's connection reaper
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        keep = reg[0];
        Predicate<String> rmiThread = n -> n.startsWith("RMI ");
        String why = first(members(c, rmiThread), pending(c), kill(c), untouched(rmiThread));
        if (why != null) return why;
        String[][] listed = new String[1][];
        Thread client = new Thread(() -> {
            try {
                listed[0] = LocateRegistry.getRegistry("127.0.0.1", port).list();
            } catch (Exception ignored) {
            }
        });
        client.start();
        return client.join(BOUND) && listed[0] != null ? null : "the RMI registry does not answer after the kill";
    }

    /** A JVM-wide singleton of a library, like Netty's GlobalEventExecutor: one lazily started thread. */
    static final class LibrarySingleton {
        static final LibrarySingleton INSTANCE = new LibrarySingleton();
        private final LinkedBlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
        private final AtomicBoolean started = new AtomicBoolean();
        volatile Thread thread;
        volatile int interrupts;

        void execute(Runnable r) {
            queue.add(r);
            if (started.compareAndSet(false, true)) {
                Thread t = new Thread(this::loop, "probe-global-1");
                t.setDaemon(true);
                thread = t;
                t.start();
            }
        }

        private void loop() {
            for (;;) {
                try {
                    queue.take().run();
                } catch (InterruptedException e) {
                    interrupts++;            // like an event loop: noted, and on it goes
                }
            }
        }
    }

    private static String declared() throws Exception {
        Infrastructure.declare(t -> t.getName().startsWith("probe-global-"));
        CountDownLatch ran = new CountDownLatch(1);
        Contract c = member(() -> LibrarySingleton.INSTANCE.execute(ran::countDown));
        if (!ran.await(BOUND.toSeconds(), TimeUnit.SECONDS)) return "the singleton did not run the member's task";
        Predicate<String> global = n -> n.startsWith("probe-global-");
        String why = first(members(c, global), kill(c));
        if (why != null) return why;
        if (LibrarySingleton.INSTANCE.interrupts != 0) return "the kill interrupted the declared singleton";
        if (!Infrastructure.isInfrastructure(LibrarySingleton.INSTANCE.thread)) return "isInfrastructure is false";
        CountDownLatch after = new CountDownLatch(1);
        LibrarySingleton.INSTANCE.execute(after::countDown);
        return after.await(BOUND.toSeconds(), TimeUnit.SECONDS) ? null : "the singleton does not run tasks after the kill";
    }

    private static String commonPool() throws Exception {
        Contract c = member(() -> {
            try {
                ForkJoinPool.commonPool().submit(() -> { }).get();
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        Predicate<String> worker = n -> n.startsWith("ForkJoinPool.commonPool-worker-");
        String why = first(members(c, worker, false), kill(c), untouched(worker));
        if (why != null) return why;
        return ForkJoinPool.commonPool().submit(() -> 7).get(BOUND.toSeconds(), TimeUnit.SECONDS) == 7 ? null
                : "the common pool does not run tasks after the kill";
    }

    static final Set<String> KINDS = Set.of("vthread-socket", "process", "shutdown-hooks", "cleaner", "rmi", "declared",
            "common-pool");
}
