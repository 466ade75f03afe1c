package io.jcontract.agent;

import io.jcontract.ContractEvent;
import io.jcontract.ContractThreads;
import io.jcontract.Contracts;
import io.jcontract.EventListener;
import io.jcontract.EventType;
import io.jcontract.restarter.Restarter;
import io.jcontract.restarter.RestarterEvent;
import io.jcontract.restarter.ServiceSpec;
import io.jcontract.restarter.ServiceState;
import io.jcontract.restarter.ServiceStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The restarter's SIGNAL rules, which need the agent (only it sees who
 * interrupts a member): a member that dies after an interrupt from outside
 * its service is SIGNAL, which restarts the service; with
 * {@code ignore_error SIGNAL} it is only informative. Every wait is on a
 * state or an event, bounded.
 */
@Timeout(30)
class RestarterSignalTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final List<RestarterEvent> log = new CopyOnWriteArrayList<>();
    private final LinkedBlockingQueue<Thread> servers = new LinkedBlockingQueue<>();
    private final CountDownLatch releaseBystanders = new CountDownLatch(1);
    private final List<Thread> members = new CopyOnWriteArrayList<>();
    private Set<Integer> liveBefore;
    private Restarter restarter;

    @BeforeEach
    void setUp() {
        assumeTrue(!"false".equals(System.getProperty("jcontract.test.expectAgent")), "needs the agent");
        liveBefore = new HashSet<>(Contracts.ids());
        restarter = Restarter.builder().name("signal-test").listener(log::add).build();
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        if (restarter == null) return;
        releaseBystanders.countDown();
        assertTrue(restarter.stop(WAIT), "restarter stopped in time");
        for (Thread t : members) assertTrue(t.join(WAIT), t + " ended");
        List<Integer> leaked = new ArrayList<>(Contracts.ids());
        leaked.removeAll(liveBefore);
        assertEquals(List.of(), leaked, "contracts left alive by the test");
    }

    /**
     * A start method: a server member that treats an interrupt as fatal
     * (it throws) unless its service is being stopped, and a bystander that
     * waits to be released.
     */
    private Runnable startMethod() {
        return () -> {
            Thread server = ContractThreads.start(Thread.ofVirtual().uncaughtExceptionHandler((t, e) -> { }), () -> {
                try {
                    new CountDownLatch(1).await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException("interrupted", e);
                }
            });
            members.add(server);
            members.add(ContractThreads.startVirtual(() -> {
                try {
                    releaseBystanders.await();
                } catch (InterruptedException killed) {
                    // the service is killed
                }
            }));
            servers.add(server);
        };
    }

    private Thread nextServer() throws InterruptedException {
        Thread t = servers.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(t, "the start method ran");
        return t;
    }

    @Test
    void anOutsideInterruptThatKillsAMemberIsSignalAndRestartsTheService() throws Exception {
        restarter.add(ServiceSpec.builder("svc:/test/signal:default").start(startMethod()).build());
        restarter.start();
        int first = restarter.awaitState("svc:/test/signal:default", ServiceState.ONLINE, WAIT).contractId();
        Thread server = nextServer();

        server.interrupt();   // from the test thread: outside the service's contract, not its holder
        ServiceStatus after = restarter.awaitStatus("svc:/test/signal:default",
                s -> s.state() == ServiceState.ONLINE && s.restarts() == 1, WAIT);
        assertNotEquals(first, after.contractId(), "restarted in a new contract");
        assertTrue(after.reason().contains("SIGNAL"), after.reason());
        assertTrue(after.reason().contains("from thread " + Thread.currentThread().threadId()), after.reason());
        RestarterEvent.ContractEventHandled handled = log.stream()
                .filter(RestarterEvent.ContractEventHandled.class::isInstance)
                .map(RestarterEvent.ContractEventHandled.class::cast).findFirst().orElseThrow();
        ContractEvent.Signal signal = assertInstanceOf(ContractEvent.Signal.class, handled.event());
        assertEquals(server.threadId(), signal.member());
        assertEquals(Thread.currentThread().threadId(), signal.sender());
        assertEquals(first, signal.contractId());
        assertTrue(after.lastKill().empty(), "the bystander was killed with the service");
    }

    @Test
    void anIgnoredSignalIsInformativeAndTheServiceKeepsRunning() throws Exception {
        restarter.add(ServiceSpec.builder("svc:/test/tolerant:default").start(startMethod())
                .ignoreError(EventType.SIGNAL).build());
        restarter.start();
        int cid = restarter.awaitState("svc:/test/tolerant:default", ServiceState.ONLINE, WAIT).contractId();
        assertEquals(Set.of(EventType.EMPTY, EventType.CORE, EventType.HWERR),
                Contracts.lookup(cid).status().critical());
        Thread server = nextServer();

        try (EventListener events = Contracts.lookup(cid).events()) {
            server.interrupt();
            ContractEvent e;
            do e = events.take(WAIT); while (!(e instanceof ContractEvent.Signal));
            assertFalse(e.critical(), "an ignored SIGNAL is informative");
            assertTrue(server.join(WAIT));
        }
        ServiceStatus s = restarter.state("svc:/test/tolerant:default");
        assertEquals(ServiceState.ONLINE, s.state(), "the bystander keeps the service up");
        assertEquals(cid, s.contractId());
        assertEquals(0, s.restarts());
        // When the bystander leaves too, the service empties and restart_on ALL restarts it, once.
        releaseBystanders.countDown();
        ServiceStatus after = restarter.awaitStatus("svc:/test/tolerant:default",
                st -> st.state() == ServiceState.ONLINE && st.restarts() == 1, WAIT);
        assertTrue(after.reason().contains("all members exited"), after.reason());
        assertTrue(log.stream().noneMatch(ev -> ev instanceof RestarterEvent.ContractEventHandled h
                && h.event() instanceof ContractEvent.Signal), "the SIGNAL was never acted on");
    }
}
