package io.jcontract.probes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jcontract.ContractThreads;
import io.jcontract.Contracts;
import io.jcontract.restarter.management.RestarterRegistration;
import io.jcontract.restarter.Health;
import io.jcontract.restarter.Restarter;
import io.jcontract.restarter.ServiceSpec;
import io.jcontract.restarter.ServiceState;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Readiness and liveness through the API, the MXBean and the HTTP probes,
 * read with the JDK's HttpClient as an essential service goes ONLINE →
 * MAINTENANCE → cleared (ONLINE again).
 */
@Timeout(60)
class HealthEndpointTest {
    static final Duration WAIT = Duration.ofSeconds(20);

    private final LinkedBlockingQueue<String> orders = new LinkedBlockingQueue<>();
    private final AtomicBoolean broken = new AtomicBoolean();
    private final List<Thread> members = new ArrayList<>();
    private Set<Integer> liveBefore;
    private Restarter restarter;
    private HealthEndpoint endpoint;
    private HttpClient client;

    @BeforeEach
    void setUp() {
        liveBefore = new HashSet<>(Contracts.ids());
        restarter = Restarter.builder().name("health-test").escalation(s -> { }).build();
        client = HttpClient.newBuilder().connectTimeout(WAIT).build();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (endpoint != null) endpoint.close();
        client.close();
        assertTrue(restarter.stop(WAIT), "restarter stopped in time");
        for (Thread t : members) assertTrue(t.join(WAIT), "member " + t + " ended");
        List<Integer> leaked = new ArrayList<>(Contracts.ids());
        leaked.removeAll(liveBefore);
        assertEquals(List.of(), leaked, "contracts left alive by the test");
    }

    /** The essential service: one member that serves until told to crash; its start fails while broken. */
    private ServiceSpec database() {
        return ServiceSpec.builder("svc:/test/db").essential(true).start(() -> {
            if (broken.get()) throw new IllegalStateException("database unreachable");
            Thread t = ContractThreads.start(Thread.ofVirtual().uncaughtExceptionHandler((th, e) -> { }), () -> {
                try {
                    if (orders.take().equals("crash")) throw new IllegalStateException("injected crash");
                } catch (InterruptedException e) {
                    // killed by the restarter's stop
                }
            });
            synchronized (members) {
                members.add(t);
            }
        }).build();
    }

    /** A service that is not essential and never starts: readiness must ignore it. */
    private static ServiceSpec hopeless() {
        return ServiceSpec.builder("svc:/test/extra").start(() -> {
            throw new IllegalStateException("never starts");
        }).build();
    }

    private record Reply(int status, String body) { }

    private Reply get(String url) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url)).timeout(WAIT).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body());
    }

    @Test
    void probesFollowAnEssentialServiceThroughMaintenanceAndClear() throws Exception {
        restarter.add(database());
        restarter.add(hopeless());
        endpoint = HealthEndpoint.start(restarter, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        ObjectName name = RestarterRegistration.register(restarter);
        MBeanServer mbs = ManagementFactory.getPlatformMBeanServer();
        try {
            // not started: neither live nor ready
            assertEquals(503, get(endpoint.livenessUrl()).status());
            Reply notStarted = get(endpoint.readinessUrl());
            assertEquals(503, notStarted.status());
            assertTrue(notStarted.body().contains("not started"), notStarted.body());

            restarter.start();
            restarter.awaitState("svc:/test/db", ServiceState.ONLINE, WAIT);
            restarter.awaitState("svc:/test/extra", ServiceState.MAINTENANCE, WAIT);
            Reply live = get(endpoint.livenessUrl());
            assertEquals(200, live.status(), live.body());
            assertTrue(live.body().startsWith("ok\n"), live.body());
            Reply ready = get(endpoint.readinessUrl());
            assertEquals(200, ready.status(), "the non-essential service in maintenance does not count: " + ready.body());
            assertEquals(Boolean.TRUE, mbs.getAttribute(name, "Ready"));
            assertEquals(Boolean.TRUE, mbs.getAttribute(name, "Live"));

            // the essential service crashes and cannot start again: MAINTENANCE, not ready, still live
            broken.set(true);
            orders.add("crash");
            restarter.awaitState("svc:/test/db", ServiceState.MAINTENANCE, WAIT);
            Reply down = get(endpoint.readinessUrl());
            assertEquals(503, down.status(), down.body());
            assertTrue(down.body().contains("svc:/test/db MAINTENANCE"), down.body());
            assertFalse(down.body().contains("svc:/test/extra"), "only essential services are listed: " + down.body());
            assertEquals(200, get(endpoint.livenessUrl()).status(), "maintenance does not make the restarter dead");
            assertEquals(Boolean.FALSE, mbs.getAttribute(name, "Ready"));
            String[] failing = (String[]) mbs.getAttribute(name, "Failing");
            assertEquals(1, failing.length, String.join("|", failing));
            assertTrue(failing[0].startsWith("svc:/test/db MAINTENANCE"), failing[0]);

            // repaired and cleared: ready again
            broken.set(false);
            restarter.clear("svc:/test/db");
            restarter.awaitState("svc:/test/db", ServiceState.ONLINE, WAIT);
            Reply back = get(endpoint.readinessUrl());
            assertEquals(200, back.status(), back.body());
            assertTrue(back.body().contains("ready: 1/2 services online"), back.body());

            // unknown paths and methods
            assertEquals(404, get(endpoint.readinessUrl() + "/more").status());
            HttpResponse<String> post = client.send(HttpRequest.newBuilder(URI.create(endpoint.livenessUrl()))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(405, post.statusCode());

            // stopping: no longer live
            assertTrue(restarter.stop(WAIT));
            Reply stopped = get(endpoint.livenessUrl());
            assertEquals(503, stopped.status());
            assertTrue(stopped.body().contains("stopping"), stopped.body());
        } finally {
            RestarterRegistration.unregister(restarter);
        }
        assertFalse(mbs.isRegistered(name));
    }

    @Test
    void withNoEssentialServiceEveryEnabledServiceCounts() throws Exception {
        restarter.add(hopeless());
        restarter.start();
        restarter.awaitState("svc:/test/extra", ServiceState.MAINTENANCE, WAIT);
        Health h = restarter.health();
        assertTrue(h.live());
        assertFalse(h.ready());
        assertFalse(h.essentialOnly());
        assertEquals(1, h.failing().size(), h.failing().toString());
        restarter.disable("svc:/test/extra");
        restarter.awaitState("svc:/test/extra", ServiceState.DISABLED, WAIT);
        Health off = restarter.health();
        assertTrue(off.ready(), "a disabled service is off on purpose: " + off.summary());
        assertEquals("ready: 0/1 services online", off.summary());
    }

    @Test
    void aStuckRestarterLoopIsNotLive() throws Exception {
        Restarter stuck = Restarter.builder().name("stuck-test").livenessTimeout(Duration.ofMillis(200))
                .escalation(s -> { }).build();
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch inListener = new java.util.concurrent.CountDownLatch(1);
        stuck.addListener(e -> {   // a listener that blocks the restarter thread
            inListener.countDown();
            try {
                release.await();
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        });
        stuck.add(hopeless());
        stuck.start();
        try {
            assertTrue(inListener.await(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS));
            long deadline = System.nanoTime() + WAIT.toNanos();
            Health h;
            while ((h = stuck.health()).live() && System.nanoTime() < deadline) Thread.onSpinWait();
            assertFalse(h.live(), h.summary());
            assertTrue(h.failing().getFirst().contains("loop stuck"), h.failing().toString());
        } finally {
            release.countDown();
            stuck.disable("svc:/test/extra");
            assertTrue(stuck.stop(WAIT));
        }
    }

    @Test
    void aBusyAddressIsAClearError() throws Exception {
        try (HealthEndpoint first = HealthEndpoint.start(restarter,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            var e = assertThrows(java.io.UncheckedIOException.class,
                    () -> HealthEndpoint.start(restarter, first.address()));
            assertTrue(e.getMessage().contains("cannot bind the health endpoint"), e.getMessage());
        }
    }
}
