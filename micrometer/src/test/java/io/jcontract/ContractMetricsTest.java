package io.jcontract;

import static io.jcontract.TestSupport.WAIT;
import static io.jcontract.TestSupport.first;
import static io.jcontract.TestSupport.park;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jcontract.internal.ContractTable;
import io.jcontract.metrics.ContractMetrics;
import io.jcontract.restarter.Restarter;
import io.jcontract.restarter.ServiceSpec;
import io.jcontract.restarter.ServiceState;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Micrometer binder in a {@link SimpleMeterRegistry}. The counters are
 * global to the JVM, so the test compares values before and after what it
 * does.
 */
@Timeout(20)
class ContractMetricsTest {
    static final Set<String> TAG_KEYS = Set.of("state", "type", "critical", "reason", "service");

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private double count(String name, String... tags) {
        return registry.get(name).tags(tags).functionCounter().count();
    }

    private double gauge(String name, String... tags) {
        return registry.get(name).tags(tags).gauge().value();
    }

    @Test
    void meterValuesFollowTheTable() throws Exception {
        new ContractMetrics().bindTo(registry);
        double coreCritical = count("jcontract.events", "type", "core", "critical", "true");
        double forkInformative = count("jcontract.events", "type", "fork", "critical", "false");
        double exitInformative = count("jcontract.events", "type", "exit", "critical", "false");
        double emptyCritical = count("jcontract.events", "type", "empty", "critical", "true");
        double dropped = count("jcontract.events.dropped");
        double kills = count("jcontract.kills");
        double refusedKilled = count("jcontract.forks.refused", "reason", "killed");
        var killTimer = registry.get("jcontract.kill.duration").functionTimer();
        double killsTimed = killTimer.count();
        double ownedBefore = gauge("jcontract.contracts", "state", "owned");

        try (TestSupport s = new TestSupport()) {
            CountDownLatch crash = s.gate(), killed = new CountDownLatch(1);
            AtomicReference<Throwable> refusal = new AtomicReference<>();
            var c = s.create(ContractTemplate.process()
                    .informative(EventType.FORK, EventType.EXIT)
                    .critical(EventType.EMPTY, EventType.CORE).fatal(), () -> {
                s.startChild(() -> {
                    park(crash);
                    throw new IllegalStateException("boom");
                });
                if (!park(s.gate())) {                       // killed
                    try {
                        ContractThreads.startVirtual(() -> { });
                    } catch (ContractKilledException e) {
                        refusal.set(e);
                    }
                    killed.countDown();
                }
            });
            try (EventListener l = s.track(c.contract().events())) {
                assertTrue(gauge("jcontract.contracts", "state", "owned") >= ownedBefore + 1);
                assertTrue(gauge("jcontract.members") >= 1);
                crash.countDown();
                c.contract().ack(first(l, c.id(), ContractEvent.Core.class));
                assertTrue(c.contract().kill().awaitEmpty(WAIT).empty());
                assertTrue(killed.await(WAIT.toMillis(), TimeUnit.MILLISECONDS));
                first(l, c.id(), ContractEvent.Empty.class);
            }
            assertTrue(refusal.get() instanceof ContractKilledException);
        }

        assertEquals(coreCritical + 1, count("jcontract.events", "type", "core", "critical", "true"));
        assertEquals(forkInformative + 2, count("jcontract.events", "type", "fork", "critical", "false"),
                "the first member's fork and its child's");
        assertEquals(exitInformative + 2, count("jcontract.events", "type", "exit", "critical", "false"));
        assertEquals(emptyCritical + 1, count("jcontract.events", "type", "empty", "critical", "true"));
        assertTrue(count("jcontract.events.dropped") > dropped, "informative events offered with no listener");
        assertEquals(kills + 1, count("jcontract.kills"));
        assertEquals(refusedKilled + 1, count("jcontract.forks.refused", "reason", "killed"));
        assertEquals(killsTimed + 1, killTimer.count());
        assertTrue(killTimer.totalTime(TimeUnit.NANOSECONDS) > 0);
        assertNoContractTags();
    }

    @Test
    void aForkPastTheLimitIsCountedAsRefused() throws Exception {
        new ContractMetrics().bindTo(registry);
        double before = count("jcontract.forks.refused", "reason", "limit");
        int limit = ContractTable.TABLE.limit();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> {
            try (TestSupport s = new TestSupport()) {
                Credential.current().as("metrics-limit").assume();
                CountDownLatch release = s.gate();
                s.create(ContractTemplate.process(), () -> park(release));
                Contracts.setContractLimit(1);
                try {
                    assertThrows(ContractLimitException.class, () -> s.create(ContractTemplate.process(), () -> { }));
                } finally {
                    Contracts.setContractLimit(limit);
                }
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        assertTrue(t.join(WAIT));
        if (failure.get() != null) throw new AssertionError(failure.get());
        assertEquals(before + 1, count("jcontract.forks.refused", "reason", "limit"));
    }

    @Test
    void restartsAndMaintenanceAreCountedPerService() throws Exception {
        Set<Integer> liveBefore = new HashSet<>(Contracts.ids());
        Restarter restarter = Restarter.builder().name("metrics-test").build();
        ContractMetrics.forRestarter(restarter).bindTo(registry);
        restarter.add(ServiceSpec.builder("svc:/metrics/broken").start(() -> {
            throw new IllegalStateException("cannot bind");
        }).build());
        restarter.start();
        try {
            restarter.awaitState("svc:/metrics/broken", ServiceState.MAINTENANCE, WAIT);
        } finally {
            assertTrue(restarter.stop(WAIT));
        }
        assertEquals(2, registry.get("jcontract.service.restarts").tag("service", "svc:/metrics/broken")
                .counter().count());
        assertEquals(1, registry.get("jcontract.service.maintenance").tag("service", "svc:/metrics/broken")
                .counter().count());
        assertNoContractTags();
        assertTrue(liveBefore.containsAll(Contracts.ids()), "contracts left: " + Contracts.ids());
    }

    /** Issue 14, defect 9: binding the restarter's meters again adds no second listener; closing removes it. */
    @Test
    void aRestarterBinderBoundTwiceCountsOnceAndClosingItStopsCounting() throws Exception {
        Set<Integer> liveBefore = new HashSet<>(Contracts.ids());
        Restarter restarter = Restarter.builder().name("metrics-rebind-test").build();
        var binder = ContractMetrics.forRestarter(restarter);
        binder.bindTo(registry);
        binder.bindTo(registry);
        restarter.add(ServiceSpec.builder("svc:/metrics/rebind").start(() -> {
            throw new IllegalStateException("cannot bind");
        }).build());
        restarter.start();
        try {
            restarter.awaitState("svc:/metrics/rebind", ServiceState.MAINTENANCE, WAIT);
            assertEquals(2, registry.get("jcontract.service.restarts").tag("service", "svc:/metrics/rebind")
                    .counter().count(), "each restart is counted once");
            binder.close();
            restarter.add(ServiceSpec.builder("svc:/metrics/after-close").start(() -> {
                throw new IllegalStateException("cannot bind");
            }).build());
            restarter.awaitState("svc:/metrics/after-close", ServiceState.MAINTENANCE, WAIT);
        } finally {
            assertTrue(restarter.stop(WAIT));
        }
        assertTrue(registry.find("jcontract.service.restarts").tag("service", "svc:/metrics/after-close")
                .counters().isEmpty(), "a closed binder has removed its listener");
        assertTrue(liveBefore.containsAll(Contracts.ids()), "contracts left: " + Contracts.ids());
    }

    @Test
    void theCoreWorksWithoutMicrometer() throws Exception {
        // Only io.jcontract.metrics refers to Micrometer: load every other class of core with a class
        // loader that cannot see it.
        var core = ContractsMXBeanTest.class.getProtectionDomain().getCodeSource().getLocation();
        var main = Contracts.class.getProtectionDomain().getCodeSource().getLocation();
        var jctools = org.jctools.queues.atomic.MpscUnboundedAtomicArrayQueue.class.getProtectionDomain()
                .getCodeSource().getLocation();
        assertTrue(core != null && main != null);
        try (var loader = new java.net.URLClassLoader(new java.net.URL[] {main, jctools},
                ClassLoader.getPlatformClassLoader())) {
            assertThrows(ClassNotFoundException.class, () -> loader.loadClass("io.micrometer.core.instrument.Meter"));
            Class<?> threads = loader.loadClass("io.jcontract.ContractThreads");
            Class<?> template = loader.loadClass("io.jcontract.ContractTemplate");
            Object terms = template.getMethod("process").invoke(null);
            try (var active = (AutoCloseable) template.getMethod("activate").invoke(terms)) {
                Thread m = (Thread) threads.getMethod("startVirtual", Runnable.class).invoke(null, (Runnable) () -> { });
                assertTrue(m.join(WAIT));
            }
            Object latest = loader.loadClass("io.jcontract.Contracts").getMethod("latest").invoke(null);
            loader.loadClass("io.jcontract.Contract").getMethod("abandon").invoke(latest);
            loader.loadClass("io.jcontract.management.ContractsMXBean").getMethod("objectName").invoke(null);
        }
    }

    private void assertNoContractTags() {
        for (Meter m : registry.getMeters())
            for (Tag t : m.getId().getTags())
                assertTrue(TAG_KEYS.contains(t.getKey()), m.getId() + " has tag " + t.getKey());
    }
}
