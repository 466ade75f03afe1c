package io.jcontract.example.appserver;

import io.jcontract.management.ContractsMXBean;
import io.jcontract.management.KillData;
import io.jcontract.restarter.Restarter;
import io.jcontract.restarter.ServiceState;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.management.JMX;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * Injects the demo's faults while the load runs, one thread (in the root
 * contract, outside every service), at fixed fractions of the fault window:
 *
 * <ol>
 * <li>HUNG_MEMBER: an export job makes the worker start a thread stuck in a
 *     wait that ignores interrupts;</li>
 * <li>CORE: a corrupt job makes a ForkJoin task deep in the worker throw: the
 *     whole worker is killed (the hung export shows as a straggler) and restarted;</li>
 * <li>HWERR: a record makes a CompletableFuture stage of the pipeline throw a
 *     {@link SimulatedHardwareError};</li>
 * <li>SIGNAL: this thread interrupts HTTP's session reaper, which dies of it;</li>
 * <li>CRASH_LOOP: the cache warmer's manifest is corrupted; every restart
 *     crashes at once until the throttle puts it in MAINTENANCE;</li>
 * <li>KILL: as an operator would ({@code ContractsMXBean.killAndAwait}, what JMX
 *     and the tools offer), this thread kills the HTTP service's contract. Nothing
 *     calls a stop method or {@code Server.stop()}: the kill alone ends Jetty's
 *     threads and closes its port (the Jetty lifecycle adapter), the contract
 *     empties, and the restarter starts the service again on the same port.</li>
 * </ol>
 * Each fault is recorded in the {@link FaultLedger} before it is caused, so
 * its detection can never come first. Before each, the injector waits
 * (bounded) for its target service to be ONLINE.
 */
final class FaultInjector {
    private static final Duration ONLINE_WAIT = Duration.ofSeconds(10);
    /** How long the operator's kill waits for the contract to empty. */
    private static final Duration KILL_WAIT = Duration.ofSeconds(10);
    /** When each fault is injected, as a fraction of the fault window. */
    private static final double[] AT = {0.10, 0.20, 0.35, 0.50, 0.60, 0.75};

    private final Restarter restarter;
    private final FaultLedger ledger;
    private final EventLog log;
    private final WorkerSubsystem worker;
    private final PipelineSubsystem pipeline;
    private final HttpSubsystem http;
    private final CacheWarmerSubsystem cacheWarmer;
    private final LoadDriver load;
    private final CountDownLatch cancelled = new CountDownLatch(1);
    private Thread thread;

    FaultInjector(Restarter restarter, FaultLedger ledger, EventLog log, WorkerSubsystem worker,
                  PipelineSubsystem pipeline, HttpSubsystem http, CacheWarmerSubsystem cacheWarmer, LoadDriver load) {
        this.restarter = restarter;
        this.ledger = ledger;
        this.log = log;
        this.worker = worker;
        this.pipeline = pipeline;
        this.http = http;
        this.cacheWarmer = cacheWarmer;
        this.load = load;
    }

    /** Starts injecting, at times measured from {@code t0Nanos} over {@code window}. */
    void start(long t0Nanos, Duration window) {
        thread = Thread.ofPlatform().name("fault-injector").daemon(true).start(() -> {
            try {
                List<Runnable> steps = List.of(this::hang, this::core, this::hwerr, this::signal, this::crashLoop,
                        this::kill);
                for (int i = 0; i < steps.size(); i++) {
                    long at = t0Nanos + (long) (AT[i] * window.toNanos());
                    if (cancelled.await(Math.max(0, at - System.nanoTime()), TimeUnit.NANOSECONDS)) return;
                    steps.get(i).run();
                }
            } catch (InterruptedException e) {
                // cancelled
            }
        });
    }

    /** Stops injecting (faults not injected yet are not) and waits for the thread. */
    void stop() throws InterruptedException {
        cancelled.countDown();
        if (thread != null && !thread.join(Duration.ofSeconds(15)))
            throw new IllegalStateException("fault injector did not stop");
    }

    private void hang() {
        if (!online(WorkerSubsystem.NAME)) return;
        long id = load.nextJobId();
        String name = WorkerLibrary.exportThreadName(id);
        ledger.injected(FaultLedger.Kind.HUNG_MEMBER, WorkerSubsystem.NAME, "export job " + id, name);
        log.line("inject", "%-32s HUNG_MEMBER: export job %d starts thread \"%s\", which ignores interrupts",
                WorkerSubsystem.NAME, id, name);
        worker.submit(new Job(id, Job.EXPORT));
    }

    private void core() {
        if (!online(WorkerSubsystem.NAME)) return;
        long id = load.nextJobId();
        ledger.injected(FaultLedger.Kind.CORE, WorkerSubsystem.NAME, "corrupt job " + id, null);
        log.line("inject", "%-32s CORE: corrupt job %d; a ForkJoin task of the worker library will throw",
                WorkerSubsystem.NAME, id);
        worker.submit(new Job(id, Job.CORRUPT));
    }

    private void hwerr() {
        if (!online(PipelineSubsystem.NAME)) return;
        long id = load.nextJobId();
        ledger.injected(FaultLedger.Kind.HWERR, PipelineSubsystem.NAME, "ECC record " + id, null);
        log.line("inject", "%-32s HWERR: record %d trips a simulated ECC error in a CompletableFuture stage",
                PipelineSubsystem.NAME, id);
        pipeline.submit(new Job(id, Job.ECC));
    }

    private void signal() {
        if (!online(HttpSubsystem.NAME)) return;
        Thread reaper = http.reaper();
        if (reaper == null) {
            log.line("inject", "%-32s SIGNAL skipped: no session reaper running", HttpSubsystem.NAME);
            return;
        }
        ledger.injected(FaultLedger.Kind.SIGNAL, HttpSubsystem.NAME, "interrupt of thread " + reaper.threadId(), null);
        log.line("inject", "%-32s SIGNAL: thread %d (%s, outside the contract) interrupts \"%s\" (thread %d)",
                HttpSubsystem.NAME, Thread.currentThread().threadId(), Thread.currentThread().getName(),
                reaper.getName(), reaper.threadId());
        reaper.interrupt();
    }

    private void crashLoop() {
        if (!online(CacheWarmerSubsystem.NAME)) return;
        ledger.injected(FaultLedger.Kind.CRASH_LOOP, CacheWarmerSubsystem.NAME, "corrupt manifest", null);
        log.line("inject", "%-32s CRASH_LOOP: manifest corrupted; every instance will crash as it starts",
                CacheWarmerSubsystem.NAME);
        cacheWarmer.corruptManifest();
    }

    private void kill() {
        if (!online(HttpSubsystem.NAME)) return;
        int id = restarter.state(HttpSubsystem.NAME).contractId();
        int port = http.port();
        if (id == 0 || port == 0) {
            log.line("inject", "%-32s KILL skipped: no contract or no port", HttpSubsystem.NAME);
            return;
        }
        ledger.injected(FaultLedger.Kind.KILL, HttpSubsystem.NAME, "operator kill of contract " + id, null);
        log.line("inject", "%-32s KILL: the operator kills contract %d (Jetty on port %d) through the MXBean; "
                + "no stop call", HttpSubsystem.NAME, id, port);
        try {
            long t0 = System.nanoTime();
            KillData report = operator().killAndAwait(id, KILL_WAIT.toMillis());
            long ms = (System.nanoTime() - t0) / 1_000_000;
            // the port's closing shows as the restart binding the same port again
            log.line("inject", "%-32s KILL: contract %d %s within %d ms", HttpSubsystem.NAME, id,
                    report.isEmpty() ? "emptied (every Jetty thread ended, no stop call)"
                            : "not empty: " + report.getStragglers().length + " stragglers", ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.line("inject", "%-32s KILL failed: %s", HttpSubsystem.NAME, e);
        }
    }

    /** The platform MXBean an operator uses (ctstat, JMX): registered by the agent when the server is made. */
    private static ContractsMXBean operator() {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name;
        try {
            name = new ObjectName(ContractsMXBean.OBJECT_NAME);
        } catch (MalformedObjectNameException e) {
            throw new AssertionError(e);
        }
        if (!server.isRegistered(name)) name = ContractsMXBean.register();   // without the agent
        return JMX.newMXBeanProxy(server, name, ContractsMXBean.class);
    }

    private boolean online(String service) {
        try {
            restarter.awaitState(service, ServiceState.ONLINE, ONLINE_WAIT);
            return true;
        } catch (TimeoutException e) {
            log.line("inject", "%-32s skipped: not ONLINE within %d s (%s)", service, ONLINE_WAIT.toSeconds(),
                    restarter.state(service).reason());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
