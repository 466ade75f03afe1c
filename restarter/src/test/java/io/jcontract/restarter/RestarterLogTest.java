package io.jcontract.restarter;

import io.jcontract.ContractEvent;
import io.jcontract.ContractThreads;
import io.jcontract.Contracts;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the restarter's listeners read, as a log a person reads: the event
 * that caused a restart comes before the kill, the restart and the state
 * changes it caused; reasons are plain words ("10 s", not "PT10S"), and an
 * ONLINE reason does not nest the STARTING one in parentheses.
 */
@Timeout(20)
class RestarterLogTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final List<RestarterEvent> log = new CopyOnWriteArrayList<>();
    /** Opened when a listener was told of a MAINTENANCE: the board shows it a moment before the listeners hear it. */
    private final CountDownLatch maintenanceLogged = new CountDownLatch(1);
    private Set<Integer> liveBefore;
    private Restarter restarter;

    @BeforeEach
    void setUp() {
        liveBefore = new HashSet<>(Contracts.ids());
        restarter = Restarter.builder().name("log-test").throttle(3, Duration.ofSeconds(10))
                .escalation(s -> { }).listener(log::add).listener(e -> {
                    if (e instanceof RestarterEvent.StateChanged s && s.to() == ServiceState.MAINTENANCE)
                        maintenanceLogged.countDown();
                }).build();
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        assertTrue(restarter.stop(WAIT), "restarter stopped in time");
        List<Integer> leaked = new ArrayList<>(Contracts.ids());
        leaked.removeAll(liveBefore);
        assertEquals(List.of(), leaked, "contracts left alive by the test");
    }

    /** A service whose member throws when told to (or at once), and otherwise waits to be killed. */
    private static StartMethod crashing(CountDownLatch crash) {
        return ctx -> {
            ContractThreads.start(Thread.ofVirtual().uncaughtExceptionHandler((t, e) -> { }), () -> {
                try {
                    crash.await();
                } catch (InterruptedException killed) {
                    return;
                }
                throw new IllegalStateException("injected crash");
            });
            ctx.ready();
        };
    }

    @Test
    void theEventComesBeforeTheKillAndTheRestartItCauses() throws Exception {
        CountDownLatch crash = new CountDownLatch(1);
        restarter.add(ServiceSpec.builder("svc:/test/order").start(crashing(crash)).build());
        restarter.start();
        restarter.awaitState("svc:/test/order", ServiceState.ONLINE, WAIT);
        crash.countDown();   // the next instance's member finds the latch open and crashes too
        restarter.awaitState("svc:/test/order", ServiceState.MAINTENANCE, WAIT);
        assertTrue(maintenanceLogged.await(WAIT.toSeconds(), TimeUnit.SECONDS), "the MAINTENANCE reached the listeners");

        int handled = indexOf(RestarterEvent.ContractEventHandled.class, 0);
        assertInstanceOf(ContractEvent.Core.class, ((RestarterEvent.ContractEventHandled) log.get(handled)).event());
        int killed = indexOf(RestarterEvent.ServiceKilled.class, 0);
        int restarting = indexOf(RestarterEvent.ServiceRestarting.class, 0);
        assertTrue(handled < killed && killed < restarting,
                () -> "the CORE is logged first, then the kill, then the restart: " + log);
        // the same for every restart, and for the last CORE, which leads to MAINTENANCE
        int maintenance = -1;
        for (int i = 0; i < log.size(); i++)
            if (log.get(i) instanceof RestarterEvent.StateChanged s && s.to() == ServiceState.MAINTENANCE) maintenance = i;
        int lastHandled = -1;
        for (int i = 0; i < maintenance; i++)
            if (log.get(i) instanceof RestarterEvent.ContractEventHandled) lastHandled = i;
        assertTrue(lastHandled >= 0 && lastHandled < maintenance, () -> "the last CORE before MAINTENANCE: " + log);
        for (int i = lastHandled + 1; i < maintenance; i++)
            assertFalse(log.get(i) instanceof RestarterEvent.ServiceRestarting, () -> "no restart after the last CORE: " + log);
    }

    @Test
    void reasonsAreReadable() throws Exception {
        CountDownLatch crash = new CountDownLatch(1);
        crash.countDown();
        restarter.add(ServiceSpec.builder("svc:/test/loop").start(crashing(crash)).build());
        restarter.add(ServiceSpec.builder("svc:/test/slow").start(ctx -> {
            try {
                new CountDownLatch(1).await();   // never ready
            } catch (InterruptedException killed) {
                // the restarter gave up on the start
            }
        }).startTimeout(Duration.ofMillis(1500)).build());
        restarter.start();
        ServiceStatus loop = restarter.awaitState("svc:/test/loop", ServiceState.MAINTENANCE, WAIT);
        assertTrue(loop.reason().contains("under 10 s"), loop.reason());
        ServiceStatus slow = restarter.awaitState("svc:/test/slow", ServiceState.MAINTENANCE, WAIT);
        assertTrue(slow.reason().contains("not ready within 1.5 s"), slow.reason());
        for (RestarterEvent e : log) {
            String reason = switch (e) {
                case RestarterEvent.StateChanged s -> s.reason();
                case RestarterEvent.ServiceRestarting r -> r.reason();
                case RestarterEvent.Escalated x -> x.reason();
                default -> "";
            };
            assertFalse(reason.matches(".*\\bPT\\d.*"), () -> "an ISO-8601 duration in " + e);
            if (e instanceof RestarterEvent.StateChanged s && s.to() == ServiceState.ONLINE)
                assertTrue(s.reason().equals("ready") || s.reason().startsWith("ready; restart after "),
                        () -> "an ONLINE reason does not nest the STARTING one: " + s.reason());
        }
    }

    @Test
    void durationsReadAsAPersonWritesThem() {
        assertEquals("10 s", DurationText.of(Duration.ofSeconds(10)));
        assertEquals("1.5 s", DurationText.of(Duration.ofMillis(1500)));
        assertEquals("250 ms", DurationText.of(Duration.ofMillis(250)));
        assertEquals("0 ms", DurationText.of(Duration.ZERO));
        assertEquals("2 min", DurationText.of(Duration.ofMinutes(2)));
        assertEquals("90 s", DurationText.of(Duration.ofSeconds(90)));
        assertEquals("1 h 30 min", DurationText.of(Duration.ofMinutes(90)));
        assertEquals("0.2 ms", DurationText.of(Duration.ofNanos(200_000)));
    }

    private int indexOf(Class<? extends RestarterEvent> type, int from) {
        for (int i = from; i < log.size(); i++) if (type.isInstance(log.get(i))) return i;
        throw new AssertionError("no " + type.getSimpleName() + " in " + log);
    }
}
