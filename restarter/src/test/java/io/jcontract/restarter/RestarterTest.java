package io.jcontract.restarter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jcontract.ContractEvent;
import io.jcontract.ContractState;
import io.jcontract.ContractStatus;
import io.jcontract.ContractThreads;
import io.jcontract.Contracts;
import io.jcontract.EventListener;
import io.jcontract.EventType;
import io.jcontract.KillReport;
import io.jcontract.Param;
import io.jcontract.StatusDetail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The restarter's rules (SEMANTICS 1.8), one test each. Every wait is on a
 * state or an event, bounded by {@link #WAIT}; every test stops its
 * restarter and checks that no contract it made is still alive.
 */
@Timeout(20)
class RestarterTest {
    static final Duration WAIT = Duration.ofSeconds(3);
    static final Thread.UncaughtExceptionHandler QUIET = (t, e) -> { };

    private final List<RestarterEvent> log = new CopyOnWriteArrayList<>();
    private final LinkedBlockingQueue<RestarterEvent.RestarterRestarted> restarts = new LinkedBlockingQueue<>();
    private final List<ServiceStatus> escalations = new CopyOnWriteArrayList<>();
    private final CountDownLatch escalated = new CountDownLatch(1);
    private final List<Probe> probes = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private Set<Integer> liveBefore;
    private Restarter restarter;

    @BeforeEach
    void setUp() {
        liveBefore = new HashSet<>(Contracts.ids());
        restarter = Restarter.builder()
                .name("test")
                .throttle(5, Duration.ofSeconds(10))
                .escalation(s -> {
                    escalations.add(s);
                    escalated.countDown();
                })
                .listener(log::add)
                .listener(e -> {
                    if (e instanceof RestarterEvent.RestarterRestarted r) restarts.add(r);
                })
                .build();
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        assertTrue(restarter.stop(WAIT), "restarter stopped in time");
        for (Probe p : probes) p.releaseAll();
        for (Thread t : threads) assertTrue(t.join(WAIT), "thread " + t + " ended");
        for (Probe p : probes) for (Thread t : p.members) assertTrue(t.join(WAIT), "member " + t + " ended");
        List<Integer> leaked = new ArrayList<>(Contracts.ids());
        leaked.removeAll(liveBefore);
        assertEquals(List.of(), leaked, "contracts left alive by the test");
        for (ServiceStatus s : restarter.status())
            assertEquals(0, s.contractId(), s.name() + " still has a contract: " + s);
    }

    /**
     * A service for tests: its start method starts a server member that
     * obeys orders ("crash", "hwerr", "exit") and, optionally, a bystander
     * member that waits until released. Counts starts and interrupts.
     */
    final class Probe {
        final LinkedBlockingQueue<String> orders = new LinkedBlockingQueue<>();
        final AtomicInteger starts = new AtomicInteger();
        final AtomicInteger interrupts = new AtomicInteger();
        final List<Thread> members = new CopyOnWriteArrayList<>();
        final CountDownLatch releaseBystanders = new CountDownLatch(1);
        final AtomicBoolean crashAtOnce = new AtomicBoolean();
        final boolean bystander;

        Probe(boolean bystander) {
            this.bystander = bystander;
            probes.add(this);
        }

        Runnable startMethod() {
            return () -> {
                starts.incrementAndGet();
                members.add(ContractThreads.start(Thread.ofVirtual().uncaughtExceptionHandler(QUIET), this::serve));
                if (bystander) members.add(ContractThreads.startVirtual(this::standBy));
            };
        }

        void serve() {
            if (crashAtOnce.get()) throw new IllegalStateException("crash at start");
            while (true) {
                String order;
                try {
                    order = orders.take();
                } catch (InterruptedException e) {
                    interrupts.incrementAndGet();
                    return;
                }
                switch (order) {
                    case "crash" -> throw new IllegalStateException("injected crash");
                    case "hwerr" -> throw new OutOfMemoryError("injected hardware error");
                    case "exit" -> { return; }
                    default -> { }
                }
            }
        }

        void standBy() {
            try {
                releaseBystanders.await();
            } catch (InterruptedException e) {
                interrupts.incrementAndGet();
            }
        }

        void releaseAll() {
            releaseBystanders.countDown();
            orders.add("exit");
        }
    }

    private ServiceStatus online(String name) throws Exception {
        return restarter.awaitState(name, ServiceState.ONLINE, WAIT);
    }

    private ServiceStatus onlineAfterRestarts(String name, int restarts) throws Exception {
        return restarter.awaitStatus(name, s -> s.state() == ServiceState.ONLINE && s.restarts() == restarts, WAIT);
    }

    private <E extends RestarterEvent> List<E> logged(Class<E> type) {
        return log.stream().filter(type::isInstance).map(type::cast).toList();
    }

    // ----------------------------------------------------------------- restart on each event

    @Test
    void aCrashKillsTheWholeServiceAndRestartsIt() throws Exception {
        Probe p = new Probe(true);
        restarter.add(ServiceSpec.builder("svc:/test/core:default").start(p.startMethod()).build());
        restarter.start();
        int first = online("svc:/test/core:default").contractId();

        ContractStatus terms = Contracts.lookup(first).status(StatusDetail.ALL);
        assertEquals(Set.of(EventType.EMPTY, EventType.CORE, EventType.SIGNAL, EventType.HWERR), terms.critical());
        assertEquals(Set.of(Param.INHERIT, Param.REGENT, Param.NOORPHAN), terms.params());
        assertEquals(ServiceSpec.COOKIE_START, terms.cookie());
        assertEquals("svc:/test/core:default", terms.serviceIdentity());

        p.orders.add("crash");
        ServiceStatus after = onlineAfterRestarts("svc:/test/core:default", 1);
        assertNotEquals(first, after.contractId(), "restarted in a new contract");
        assertFalse(Contracts.ids().contains(first), "the old contract was transferred and is gone");
        assertEquals(2, p.starts.get());
        assertEquals(1, p.interrupts.get(), "the bystander of the crashed service was killed");
        assertTrue(after.lastKill().empty());
        var handled = logged(RestarterEvent.ContractEventHandled.class);
        assertInstanceOf(ContractEvent.Core.class, handled.getFirst().event());
        assertTrue(after.reason().contains("CORE"), after.reason());
    }

    @Test
    void aHardwareErrorRestartsTheService() throws Exception {
        Probe p = new Probe(false);
        restarter.add(ServiceSpec.builder("hw").start(p.startMethod()).restartOn(RestartOn.EXTERNAL_FAULT).build());
        restarter.start();
        online("hw");
        p.orders.add("hwerr");
        ServiceStatus after = onlineAfterRestarts("hw", 1);
        assertTrue(after.reason().contains("HWERR"), after.reason());
    }

    @Test
    void anExitRestartsWithRestartOnAll() throws Exception {
        Probe p = new Probe(false);
        restarter.add(ServiceSpec.builder("all").start(p.startMethod()).build());
        restarter.start();
        int first = online("all").contractId();
        p.orders.add("exit");
        ServiceStatus after = onlineAfterRestarts("all", 1);
        assertNotEquals(first, after.contractId());
        assertTrue(after.reason().contains("all members exited"), after.reason());
        assertEquals(2, p.starts.get());
    }

    @Test
    void anExitDoesNotRestartWithRestartOnNone() throws Exception {
        Probe p = new Probe(false);
        restarter.add(ServiceSpec.builder("none").start(p.startMethod()).restartOn(RestartOn.NONE).build());
        restarter.start();
        int first = online("none").contractId();
        assertEquals(Set.of(EventType.EMPTY), Contracts.lookup(first).status().critical());

        p.orders.add("exit");
        ServiceStatus off = restarter.awaitState("none", ServiceState.OFFLINE, WAIT);
        assertEquals(0, off.restarts());
        assertEquals(0, off.contractId());
        assertTrue(off.reason().contains("does not restart"), off.reason());
        assertFalse(Contracts.ids().contains(first), "the empty contract was given up");

        restarter.enable("none");   // re-arms it
        assertEquals(1, online("none").restarts() + 1);
        assertEquals(2, p.starts.get());
    }

    @Test
    void anIgnoredCrashIsInformativeAndTheServiceRestartsOnlyWhenItEmpties() throws Exception {
        Probe p = new Probe(true);
        restarter.add(ServiceSpec.builder("tolerant").start(p.startMethod()).ignoreError(EventType.CORE).build());
        restarter.start();
        int cid = online("tolerant").contractId();
        assertEquals(Set.of(EventType.EMPTY, EventType.SIGNAL, EventType.HWERR),
                Contracts.lookup(cid).status().critical());

        try (EventListener events = Contracts.lookup(cid).events()) {
            p.orders.add("crash");
            ContractEvent e;
            do e = events.take(WAIT); while (!(e instanceof ContractEvent.Core));
            assertFalse(e.critical(), "an ignored CORE is informative");
        }
        // The bystander keeps the service up; when it leaves, the service empties and restarts once.
        p.releaseBystanders.countDown();
        ServiceStatus after = onlineAfterRestarts("tolerant", 1);
        assertTrue(after.reason().contains("all members exited"), after.reason());
        assertEquals(0, p.interrupts.get(), "nobody was killed for the crash");
        assertTrue(logged(RestarterEvent.ContractEventHandled.class).stream()
                .noneMatch(h -> h.event() instanceof ContractEvent.Core), "the CORE was never acted on");
    }

    @Test
    void aCoreIsOnlyReportedWithRestartOnExternalFault() throws Exception {
        Probe p = new Probe(true);
        restarter.add(ServiceSpec.builder("ext").start(p.startMethod()).restartOn(RestartOn.EXTERNAL_FAULT).build());
        restarter.start();
        int cid = online("ext").contractId();
        assertEquals(Set.of(EventType.EMPTY, EventType.SIGNAL, EventType.HWERR), Contracts.lookup(cid).status().critical());
        assertTrue(Contracts.lookup(cid).status().informative().contains(EventType.CORE), "CORE still reaches observers");

        try (EventListener events = Contracts.lookup(cid).events()) {
            p.orders.add("crash");
            ContractEvent e;
            do e = events.take(WAIT); while (!(e instanceof ContractEvent.Core));
            assertFalse(e.critical());
        }
        assertTrue(p.members.getFirst().join(WAIT), "the crashed member ended");
        ServiceStatus s = restarter.state("ext");
        assertEquals(ServiceState.ONLINE, s.state());
        assertEquals(cid, s.contractId(), "not restarted");
        assertEquals(0, p.interrupts.get(), "nobody was killed for the crash");

        p.releaseBystanders.countDown();   // the last member leaves: EMPTY, which EXTERNAL_FAULT does not restart
        ServiceStatus off = restarter.awaitState("ext", ServiceState.OFFLINE, WAIT);
        assertEquals(0, off.restarts());
        assertEquals(1, p.starts.get());
    }

    @Test
    void anExitGoesOfflineWithRestartOnAnyFaultButAFaultRestarts() throws Exception {
        Probe p = new Probe(false);
        restarter.add(ServiceSpec.builder("any").start(p.startMethod()).restartOn(RestartOn.ANY_FAULT).build());
        restarter.start();
        online("any");
        p.orders.add("crash");
        onlineAfterRestarts("any", 1);
        p.orders.add("exit");
        ServiceStatus off = restarter.awaitState("any", ServiceState.OFFLINE, WAIT);
        assertEquals(1, off.restarts());
        assertTrue(off.reason().contains("does not restart"), off.reason());
        assertEquals(2, p.starts.get());
    }

    @Test
    void aKillWhileTheRestarterStopsAServiceIsNotActedOn() throws Exception {
        Probe p = new Probe(true);
        restarter.add(ServiceSpec.builder("quiet").start(p.startMethod()).build());
        restarter.start();
        online("quiet");
        restarter.disable("quiet");   // its own kill makes the members die: EMPTY, which restart_on ALL would restart
        ServiceStatus d = restarter.awaitState("quiet", ServiceState.DISABLED, WAIT);
        assertEquals(0, d.restarts());
        assertEquals(0, d.contractId());
        assertEquals(1, p.starts.get(), "not started again");
        assertTrue(logged(RestarterEvent.ServiceRestarting.class).isEmpty());
    }

    // ----------------------------------------------------------------- maintenance

    @Test
    void aCrashLoopEndsInMaintenanceAndClearBringsItBack() throws Exception {
        Probe p = new Probe(false);
        p.crashAtOnce.set(true);
        restarter.add(ServiceSpec.builder("loop").start(p.startMethod()).build());
        restarter.start();
        ServiceStatus m = restarter.awaitState("loop", ServiceState.MAINTENANCE, WAIT);
        assertTrue(m.reason().contains("too quickly"), m.reason());
        assertEquals(5, p.starts.get(), "5 starts at an average interval under the window");
        assertEquals(0, m.contractId());

        p.crashAtOnce.set(false);
        restarter.clear("loop");
        ServiceStatus back = online("loop");
        assertEquals(0, back.restarts());
        assertEquals(6, p.starts.get());
        assertTrue(escalations.isEmpty(), "not essential: no escalation");
    }

    @Test
    void aStartMethodThatThrowsThreeTimesPutsTheServiceInMaintenance() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        restarter.add(ServiceSpec.builder("broken").start(() -> {
            attempts.incrementAndGet();
            throw new IllegalStateException("cannot bind port");
        }).build());
        restarter.start();
        ServiceStatus m = restarter.awaitState("broken", ServiceState.MAINTENANCE, WAIT);
        assertEquals(3, attempts.get());
        assertEquals(3, m.startFailures());
        assertTrue(m.reason().contains("start method failed 3 times"), m.reason());
        assertTrue(m.reason().contains("cannot bind port"), m.reason());
    }

    @Test
    void aStartMethodThatIsNeverReadyFailsAtItsTimeout() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        AtomicInteger killed = new AtomicInteger();
        restarter.add(ServiceSpec.builder("slow").start(ctx -> {
            attempts.incrementAndGet();
            try {
                new CountDownLatch(1).await();   // never ready
            } catch (InterruptedException e) {
                killed.incrementAndGet();
            }
        }).startTimeout(Duration.ofMillis(100)).build());
        restarter.start();
        ServiceStatus m = restarter.awaitState("slow", ServiceState.MAINTENANCE, WAIT);
        assertEquals(3, attempts.get());
        assertEquals(3, killed.get(), "each late start was killed");
        assertTrue(m.reason().contains("not ready within"), m.reason());
    }

    @Test
    void anEssentialServiceInMaintenanceEscalatesOnce() throws Exception {
        restarter.add(ServiceSpec.builder("vital").essential(true).start(() -> {
            throw new IllegalStateException("no database");
        }).build());
        restarter.start();
        restarter.awaitState("vital", ServiceState.MAINTENANCE, WAIT);
        assertTrue(escalated.await(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        assertTrue(restarter.stop(WAIT));
        assertEquals(1, escalations.size());
        assertEquals("vital", escalations.getFirst().name());
        assertEquals(ServiceState.MAINTENANCE, escalations.getFirst().state());
        assertEquals(1, logged(RestarterEvent.Escalated.class).size());
    }

    // ----------------------------------------------------------------- stop

    @Test
    void aStopReportsAMemberThatIgnoresTheKill() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<Thread> stubborn = new CopyOnWriteArrayList<>();
        restarter.add(ServiceSpec.builder("stubborn").stopTimeout(Duration.ofMillis(200)).start(() ->
                stubborn.add(ContractThreads.startVirtual(() -> {
                    while (true) {
                        try {
                            release.await();
                            return;
                        } catch (InterruptedException ignored) {
                            // swallows the kill
                        }
                    }
                }))).build());
        restarter.start();
        int cid = online("stubborn").contractId();

        restarter.disable("stubborn");
        ServiceStatus d = restarter.awaitState("stubborn", ServiceState.DISABLED, WAIT);
        KillReport report = d.lastKill();
        assertNotNull(report);
        assertFalse(report.empty());
        assertEquals(1, report.stragglers().size());
        assertEquals(stubborn.getFirst().threadId(), report.stragglers().getFirst().member());
        assertEquals(report, logged(RestarterEvent.ServiceKilled.class).getLast().report());
        assertEquals(ContractState.ORPHAN, Contracts.lookup(cid).state(), "given up with its straggler");

        release.countDown();
        assertTrue(stubborn.getFirst().join(WAIT));
        assertFalse(Contracts.ids().contains(cid), "the orphan died with its last member");
    }

    @Test
    void dependenciesStartInOrderAndStopInReverse() throws Exception {
        List<String> started = new CopyOnWriteArrayList<>();
        List<String> stopped = new CopyOnWriteArrayList<>();
        List<String> violations = new CopyOnWriteArrayList<>();
        for (String[] svc : new String[][] {{"a"}, {"b", "a"}, {"c", "b"}}) {
            String name = svc[0];
            Probe p = new Probe(false);
            var b = ServiceSpec.builder(name).start(() -> {
                for (int i = 1; i < svc.length; i++)
                    if (restarter.state(svc[i]).state() != ServiceState.ONLINE) violations.add(name + " before " + svc[i]);
                started.add(name);
                p.startMethod().run();
            }).stop(() -> {
                stopped.add(name);
                p.orders.add("exit");
            });
            for (int i = 1; i < svc.length; i++) b.dependsOn(svc[i]);
            restarter.add(b.build());
        }
        restarter.start();
        online("c");
        assertEquals(List.of("a", "b", "c"), started);

        restarter.disable("a");   // its dependents stop first, and wait
        restarter.awaitState("a", ServiceState.DISABLED, WAIT);
        assertEquals(List.of("c", "b", "a"), stopped);
        restarter.awaitStatus("b", st -> st.reason().contains("waiting for dependencies [a]"), WAIT);

        restarter.enable("a");
        online("c");
        assertEquals(List.of("a", "b", "c", "a", "b", "c"), started);

        stopped.clear();
        assertTrue(restarter.stop(WAIT));
        assertEquals(List.of("c", "b", "a"), stopped);
        assertEquals(List.of(), violations);
        assertTrue(logged(RestarterEvent.ServiceKilled.class).stream().allMatch(k -> k.report().empty()));
    }

    // ----------------------------------------------------------------- the restarter's own death

    @Test
    void aNewRestarterAdoptsTheRunningServicesAndKeepsReacting() throws Exception {
        Probe p = new Probe(true);
        restarter.add(ServiceSpec.builder("steady").start(p.startMethod()).build());
        restarter.start();
        int cid = online("steady").contractId();
        List<Thread> members = List.copyOf(p.members);
        assertEquals(2, members.size());
        int regent0 = regentOf(cid);

        restarter.crashRestarterThread();
        restarter.awaitGeneration(1, WAIT);
        RestarterEvent.RestarterRestarted restarted = restarts.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(restarted, "the new generation reported its adoption");
        assertEquals(1, restarted.generation());
        assertTrue(restarted.adopted().contains(cid), "adopted " + restarted.adopted());

        ServiceStatus s = restarter.state("steady");
        assertEquals(ServiceState.ONLINE, s.state());
        assertEquals(cid, s.contractId(), "the same contract, adopted");
        assertEquals(ContractState.OWNED, Contracts.lookup(cid).state());
        assertNotEquals(regent0, regentOf(cid), "held by the new restarter thread's contract");
        assertFalse(Contracts.ids().contains(regent0), "the old restarter contract was transferred and is gone");
        for (Thread t : members) assertTrue(t.isAlive(), t + " still runs");
        assertEquals(0, p.interrupts.get(), "no member was interrupted");
        assertEquals(1, p.starts.get(), "not restarted");

        p.orders.add("crash");   // the new generation still reacts to faults
        ServiceStatus after = onlineAfterRestarts("steady", 1);
        assertNotEquals(cid, after.contractId());
        assertEquals(1, p.interrupts.get(), "the bystander was killed with the crashed service");
    }

    /** The contract of the thread that holds contract {@code cid}. */
    private static int regentOf(int cid) {
        long owner = Contracts.lookup(cid).status().ownerId();
        for (int id : Contracts.ids()) {
            ContractStatus st = Contracts.lookup(id).status(StatusDetail.ALL);
            if (st.members().stream().anyMatch(m -> m.id() == owner)) return id;
        }
        return 0;
    }

}
