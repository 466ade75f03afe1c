package io.jcontract.example.appserver;

import io.jcontract.Contracts;
import io.jcontract.probes.HealthEndpoint;
import io.jcontract.restarter.Restarter;
import io.jcontract.restarter.ServiceState;
import io.jcontract.restarter.ServiceStatus;

import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
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
 * Exit status (the verdict, printed as the last line): 0 if every injected
 * fault was detected and no contract was left alive, 1 otherwise, 2 on bad
 * arguments or without the agent. Ctrl-C (SIGINT) or SIGTERM ends the run
 * early with the same shutdown, tables and verdict, and the JVM exits with
 * the verdict's status (one ending on a signal would exit 130 or 143): the
 * demo handles both signals itself ({@code sun.misc.Signal}, when the
 * runtime has it), so that the main thread finishes and exits normally,
 * running every shutdown hook (one of them deletes the agent's temporary
 * jar). A second signal exits at once. Any other shutdown (SIGHUP, an
 * {@code exit} elsewhere) goes through the demo's shutdown hook, which waits
 * for the main thread to finish the same way and then halts with the
 * verdict's status.
 */
public final class AppServerDemo {
    private static final Duration ONLINE_WAIT = Duration.ofSeconds(20);
    private static final Duration DETECT_WAIT = Duration.ofSeconds(20);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);
    private static final Duration LEFTOVER_WAIT = Duration.ofSeconds(10);
    /** How long the shutdown hook waits for the main thread's shutdown after a signal. */
    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(90);

    private final DemoOptions options;
    private final PrintStream out;
    private final long t0 = System.nanoTime();
    private final CountDownLatch interrupted = new CountDownLatch(1);
    /** Signals handled (SIGINT, SIGTERM): the first ends the run, a second exits at once. */
    private final AtomicInteger signals = new AtomicInteger();
    /** Set when the JVM's shutdown began without the demo's own exit: the shutdown hook then halts. */
    private volatile boolean shutdownHookRan;
    private final CountDownLatch finished = new CountDownLatch(1);
    /** Throwables that reached the default uncaught-exception handler, by class name. */
    private final Map<String, Integer> uncaught = new ConcurrentSkipListMap<>();
    /** The exit status, set by the main thread before {@link #finished} opens; read by the shutdown hook. */
    private volatile int verdict = 1;

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
        Thread hook = new Thread(demo::onShutdown, "appserver-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        demo.handleSignals();
        int status = demo.run();
        if (demo.shutdownHookRan) return;               // the hook halts with the verdict
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException signalledJustNow) {
            return;                                      // the same: the hook has begun
        }
        System.out.flush();
        System.exit(status);
    }

    /** The agent says it is installed in this system property (io.jcontract.agent.JContractAgent.INSTALLED_PROPERTY). */
    private static boolean agentLoaded() {
        return System.getProperty("jcontract.agent.installed") != null;
    }

    /**
     * SIGINT and SIGTERM come to {@link #onSignal}, unless the VM or the OS
     * keeps them (-Xrs, or ignored as in a background job). Through
     * reflection: {@code sun.misc.Signal} (module jdk.unsupported) is not API,
     * and a runtime without it falls back to the shutdown hook.
     */
    private void handleSignals() {
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
            Method handle = signal.getMethod("handle", signal, handlerType);
            Method getName = signal.getMethod("getName"), getNumber = signal.getMethod("getNumber");
            Object handler = Proxy.newProxyInstance(AppServerDemo.class.getClassLoader(), new Class<?>[] {handlerType},
                    (proxy, m, a) -> switch (m.getName()) {
                        case "handle" -> {
                            onSignal((String) getName.invoke(a[0]), (Integer) getNumber.invoke(a[0]));
                            yield null;
                        }
                        case "equals" -> proxy == a[0];
                        case "hashCode" -> System.identityHashCode(proxy);
                        default -> "AppServerDemo signal handler";
                    });
            for (String name : List.of("INT", "TERM")) {
                try {
                    handle.invoke(null, signal.getConstructor(String.class).newInstance(name), handler);
                } catch (InvocationTargetException kept) {
                    // IllegalArgumentException: not ours to handle; a shutdown it starts goes through onShutdown
                }
            }
        } catch (ReflectiveOperationException | RuntimeException unavailable) {
            // no sun.misc.Signal here: signals go through onShutdown
        }
    }

    /** The first signal ends the run early (the main thread then prints the verdict and exits); a second exits now. */
    private void onSignal(String name, int number) {
        if (signals.getAndIncrement() == 0) {
            out.printf("%nSIG%s: shutting down; the verdict follows (SIG%s again to exit at once)%n", name, name);
            interrupted.countDown();
        } else {
            out.printf("SIG%s again: exiting now, without the verdict%n", name);
            out.flush();
            Runtime.getRuntime().halt(128 + number);
        }
    }

    /**
     * Any JVM shutdown but the demo's own exit (SIGHUP, or a signal the demo
     * could not handle): end the run early, let the main thread shut down
     * cleanly and print the verdict, then halt with its status, which a JVM
     * ending on a signal would not exit with. Halting skips the shutdown
     * hooks that have not finished by then.
     */
    private void onShutdown() {
        shutdownHookRan = true;
        interrupted.countDown();
        boolean done = false;
        try {
            done = finished.await(SHUTDOWN_WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!done) out.printf("verdict: FAIL (exit status 1): the demo did not shut down within %d s of the signal%n",
                SHUTDOWN_WAIT.toSeconds());
        out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(done ? verdict : 1);
    }

    private int run() throws Exception {
        // Deaths are reported by the event log from their contract events; the stacks would only repeat them.
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> uncaught.merge(e.getClass().getSimpleName(), 1, Integer::sum));
        try {
            verdict = runDemo();
            return verdict;
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
        HttpSubsystem http = new HttpSubsystem(log);
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
        log.line("demo", "jcontract application server, pid %d: %d services under a restarter; load for %d s%s",
                ProcessHandle.current().pid(), restarter.status().size(), options.duration().toSeconds(),
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

        log.flushRepeats();
        Summary summary = new Summary((System.nanoTime() - t0) / 1e9, atEndOfRun, restarter.status(), ledger.faults(),
                ledger.unexpected(), load.counts(), leftovers);
        StatusTable.print(out, atEndOfRun, restarter.status(), load.counts(), ledger.faults(), ContractTree.snapshot());
        out.println();
        long detected = summary.faults().stream().filter(FaultLedger.Fault::detected).count();
        out.printf("faults injected %d, detected %d; unexpected faults %d; contracts left %d, members left %d%n",
                summary.faults().size(), detected, summary.unexpected().size(), leftovers.size(), summary.membersAlive());
        out.println(uncaughtLine(summary.unexpected().isEmpty()));
        if (options.summary() != null) {
            summary.write(options.summary());
            out.println("summary written to " + options.summary());
        }
        boolean pass = summary.allFaultsDetected() && leftovers.isEmpty() && stopped;
        List<String> why = new ArrayList<>();
        if (!summary.allFaultsDetected()) why.add((summary.faults().size() - detected) + " injected fault(s) not detected");
        if (!leftovers.isEmpty()) why.add(leftovers.size() + " contract(s) left alive");
        if (!stopped) why.add("the restarter did not stop in time");
        out.println(pass ? "verdict: PASS (exit status 0): every injected fault was detected and no contract was left"
                : "verdict: FAIL (exit status 1): " + String.join("; ", why));
        out.flush();
        return pass ? 0 : 1;
    }

    /**
     * What the default uncaught-exception handler saw: the members the
     * injected faults ended by a throwable (the crashes, the interrupted
     * reaper), whose stacks the demo does not print because the event log
     * reports each of them as a CORE, SIGNAL or HWERR. A throwable kept by a
     * Future (a CompletableFuture stage's) never reaches the handler.
     */
    private String uncaughtLine(boolean noUnexpectedFault) {
        int n = uncaught.values().stream().mapToInt(Integer::intValue).sum();
        if (n == 0) return "no thread died of an uncaught throwable";
        StringBuilder b = new StringBuilder();
        uncaught.forEach((cls, k) -> b.append(b.isEmpty() ? "" : ", ").append(cls).append(" x").append(k));
        return n + " thread(s) died of an uncaught throwable (" + b + "): "
                + (noUnexpectedFault ? "the members the injected faults ended, " : "members ended by a fault, ")
                + "each reported above as an event; their stacks are not printed";
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
