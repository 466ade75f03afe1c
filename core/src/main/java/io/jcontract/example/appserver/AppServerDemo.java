package io.jcontract.example.appserver;

import io.jcontract.Contracts;
import io.jcontract.probes.HealthEndpoint;
import io.jcontract.restarter.Restarter;
import io.jcontract.restarter.ServiceState;
import io.jcontract.restarter.ServiceStatus;

import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The demo application server (README's first command, {@code ./jc demo}):
 * four services under a {@link Restarter}, load on three of them, faults
 * injected while requests flow, a live event log, and at the end a status
 * table, an optional JSON summary and a check that no contract is left.
 *
 * <h2>Theory of operation</h2>
 * The main thread wires everything and then only waits: for the services to
 * come ONLINE, for the run to last its duration (or, with {@code --serve},
 * for Ctrl-C), for every injected fault to be detected (bounded), and for
 * each step of the shutdown: load stopped, fault injector stopped,
 * restarter stopped (services stopped dependents first, by their stop
 * methods, then killed), the demo-wide {@link StopSignal} fired (hung
 * members end), then the leftover contracts counted.
 *
 * <p>It needs the java agent: the subsystems' pools, timers and
 * CompletableFuture stages join their service's contract only through it.
 * Exit status: 0 if every injected fault was detected and no contract was
 * left alive, 1 otherwise, 2 on bad arguments or without the agent.
 */
public final class AppServerDemo {
    private static final Duration ONLINE_WAIT = Duration.ofSeconds(20);
    private static final Duration DETECT_WAIT = Duration.ofSeconds(20);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);
    private static final Duration LEFTOVER_WAIT = Duration.ofSeconds(10);

    private final DemoOptions options;
    private final PrintStream out;
    private final long t0 = System.nanoTime();
    private final CountDownLatch interrupted = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private final AtomicLong uncaught = new AtomicLong();

    private AppServerDemo(DemoOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.println(DemoOptions.USAGE);
            return;
        }
        DemoOptions options;
        try {
            options = DemoOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("AppServerDemo: " + e.getMessage());
            System.err.println(DemoOptions.USAGE);
            System.exit(2);
            return;
        }
        if (!agentLoaded()) {
            System.err.println("AppServerDemo: the jcontract java agent is not loaded; run it with "
                    + "-javaagent:agent/target/jcontract-agent.jar (./jc demo does)");
            System.exit(2);
        }
        AppServerDemo demo = new AppServerDemo(options, System.out);
        Thread hook = new Thread(demo::onCtrlC, "appserver-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        int status = demo.run();
        if (demo.interrupted.getCount() == 0) return;   // Ctrl-C: the JVM is already exiting
        Runtime.getRuntime().removeShutdownHook(hook);
        System.out.flush();
        System.exit(status);
    }

    /** The agent puts its bridge on the bootstrap class path. */
    private static boolean agentLoaded() {
        try {
            Class.forName("io.jcontract.agent.boot.Bridge", false, null);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** Ctrl-C (or any JVM shutdown): end the run early and let the main thread shut down cleanly. */
    private void onCtrlC() {
        interrupted.countDown();
        try {
            finished.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private int run() throws Exception {
        // Deaths are reported by the event log from their contract events; the stacks would only repeat them.
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> uncaught.incrementAndGet());
        try {
            return runDemo();
        } finally {
            finished.countDown();
        }
    }

    private int runDemo() throws Exception {
        Set<Integer> before = new HashSet<>(Contracts.ids());
        EventLog log = new EventLog(out, t0);
        FaultLedger ledger = new FaultLedger(t0);
        StopSignal stopSignal = new StopSignal();
        WorkerSubsystem worker = new WorkerSubsystem(stopSignal);
        PipelineSubsystem pipeline = new PipelineSubsystem();
        CacheWarmerSubsystem cacheWarmer = new CacheWarmerSubsystem();
        HttpSubsystem http = new HttpSubsystem();
        LoadDriver load = new LoadDriver(http, worker, pipeline);

        Restarter restarter = Restarter.builder()
                .name("appserver")
                .listener(log::onEvent)
                .listener(ledger::onEvent)
                .escalation(s -> log.line("escalate", "%s would exit the JVM: %s", s.name(), s.reason()))
                .build();
        restarter.add(worker.spec());
        restarter.add(pipeline.spec());
        restarter.add(cacheWarmer.spec());
        restarter.add(http.spec(WorkerSubsystem.NAME, PipelineSubsystem.NAME));
        log.line("demo", "jcontract application server: %d services under a restarter; load for %d s%s",
                restarter.status().size(), options.duration().toSeconds(),
                options.serve() ? ", then serving until Ctrl-C" : "");
        restarter.start();
        HealthEndpoint probes = HealthEndpoint.start(restarter, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        log.line("demo", "probes: liveness %s, readiness %s", probes.livenessUrl(), probes.readinessUrl());
        for (ServiceStatus s : restarter.status()) {
            try {
                restarter.awaitState(s.name(), ServiceState.ONLINE, ONLINE_WAIT);
            } catch (TimeoutException e) {
                log.line("demo", "FAILED: %s", e.getMessage());
                restarter.stop(Duration.ofSeconds(30));
                stopSignal.fire();
                return 1;
            }
        }
        log.line("demo", "all services ONLINE; HTTP on http://127.0.0.1:%d (GET /hello, GET /contracts)", http.port());

        long loadStart = System.nanoTime();
        load.start();
        FaultInjector injector = new FaultInjector(restarter, ledger, log, worker, pipeline, http, cacheWarmer, load);
        injector.start(loadStart, options.faultWindow());
        boolean contractsShown = false;
        long end = loadStart + options.duration().toNanos();
        while (true) {
            long left = options.serve() ? PROGRESS_EVERY.toNanos() : end - System.nanoTime();
            if (left <= 0) break;
            if (interrupted.await(Math.min(left, PROGRESS_EVERY.toNanos()), TimeUnit.NANOSECONDS)) break;
            if (!options.quiet()) log.line("load", "http %s, worker %s, pipeline %s", load.http, load.worker, load.pipeline);
            if (!contractsShown) contractsShown = showContracts(log, load);
        }

        injector.stop();
        List<ServiceStatus> atEndOfRun = restarter.status();
        if (!ledger.awaitAllDetected(DETECT_WAIT))
            log.line("demo", "not every injected fault was detected within %d s", DETECT_WAIT.toSeconds());
        log.line("demo", "shutting down: load, then the restarter (services stop dependents first)");
        load.stop();
        boolean stopped = restarter.stop(Duration.ofSeconds(30));
        probes.close();
        log.line("demo", "restarter %s; firing the stop signal so hung members end", stopped ? "stopped" : "DID NOT STOP");
        stopSignal.fire();
        for (Thread t : worker.exports())
            if (!t.join(LEFTOVER_WAIT)) log.line("demo", "hung thread %s did not end", t.getName());
        List<ContractTree.Node> leftovers = awaitNoLeftovers(before);

        Summary summary = new Summary((System.nanoTime() - t0) / 1e9, atEndOfRun, restarter.status(), ledger.faults(),
                ledger.unexpected(), load.counts(), leftovers);
        StatusTable.print(out, atEndOfRun, restarter.status(), load.counts(), ledger.faults(), ContractTree.snapshot());
        out.println();
        out.printf("faults injected %d, detected %d; unexpected faults %d; uncaught throwables %d; "
                        + "contracts left %d, members left %d%n",
                summary.faults().size(), summary.faults().stream().filter(FaultLedger.Fault::detected).count(),
                summary.unexpected().size(), uncaught.get(), leftovers.size(), summary.membersAlive());
        if (options.summary() != null) {
            summary.write(options.summary());
            out.println("summary written to " + options.summary());
        }
        return summary.allFaultsDetected() && leftovers.isEmpty() && stopped ? 0 : 1;
    }

    /** Logs the size of the contract tree that {@code GET /contracts} returns; true once it could. */
    private static boolean showContracts(EventLog log, LoadDriver load) {
        String json = load.fetchContracts();
        if (json == null) return false;
        Matcher c = Pattern.compile("\"contracts\": (\\d+)").matcher(json);
        Matcher m = Pattern.compile("\"members\": (\\d+)").matcher(json);
        if (!c.find() || !m.find()) return false;
        log.line("http", "GET /contracts -> %d bytes of JSON: %s contracts, %s members in the tree",
                json.length(), c.group(1), m.group(1));
        return true;
    }

    /**
     * The contracts created since the demo started that are still alive,
     * waiting (bounded) for the last ones to die: an orphan dies when its
     * last member, here a hung thread released by the stop signal, ends.
     */
    private static List<ContractTree.Node> awaitNoLeftovers(Set<Integer> before) throws InterruptedException {
        long deadline = System.nanoTime() + LEFTOVER_WAIT.toNanos();
        while (true) {
            List<ContractTree.Node> left = ContractTree.snapshot().stream()
                    .filter(n -> !before.contains(n.status().id())).toList();
            if (left.isEmpty() || System.nanoTime() - deadline > 0) return left;
            Thread.sleep(20);   // no event says "the table is empty": poll the condition, bounded
        }
    }
}
