package io.jcontract;

import static io.jcontract.TestSupport.first;
import static io.jcontract.TestSupport.park;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jcontract.management.ContractInfo;
import io.jcontract.management.ContractsMXBean;
import io.jcontract.management.EventData;
import io.jcontract.management.KillData;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import javax.management.JMX;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.RuntimeMBeanException;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The platform MXBean {@code io.jcontract:type=Contracts}, through the
 * platform MBean server: attributes, status, and the privileged kill and
 * abandon, from a fully privileged thread and from one that dropped a
 * privilege. Privileged and unprivileged calls run on fresh platform
 * threads (jcontract did not start them: identity system, every
 * privilege), whatever earlier tests did to the test thread.
 */
@Timeout(20)
class ContractsMXBeanTest {
    static MBeanServer server;
    static ObjectName name;

    @BeforeAll
    static void register() {
        name = ContractsMXBean.register();
        assertEquals(name, ContractsMXBean.register(), "idempotent");
        server = ManagementFactory.getPlatformMBeanServer();
    }

    /** Runs {@code body} on a new platform thread, optionally after dropping a privilege; rethrows what it threw. */
    static <T> T onThread(boolean dropPrivilege, Callable<T> body) throws Exception {
        AtomicReference<Object> out = new AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                if (dropPrivilege) Credential.current().without(Privilege.CONTRACT_IDENTITY).assume();
                out.set(new Object[] {body.call()});
            } catch (Throwable e) {
                out.set(e);
            }
        });
        assertTrue(t.join(TestSupport.WAIT), "caller thread ended");
        if (out.get() instanceof Exception e) throw e;
        if (out.get() instanceof Error e) throw e;
        @SuppressWarnings("unchecked") T r = (T) ((Object[]) out.get())[0];
        return r;
    }

    static Object invoke(String op, Object[] args, String[] sig) throws Exception {
        try {
            return server.invoke(name, op, args, sig);
        } catch (RuntimeMBeanException e) {
            throw e.getTargetException();   // what the MXBean threw
        }
    }

    static Object kill(int id) throws Exception {
        return invoke("kill", new Object[] {id}, new String[] {"int"});
    }

    static Object abandon(int id) throws Exception {
        return invoke("abandon", new Object[] {id}, new String[] {"int"});
    }

    @Test
    void staticMethodsAreNotOperations() throws Exception {
        var ops = Arrays.stream(server.getMBeanInfo(name).getOperations()).map(o -> o.getName()).sorted().toList();
        assertEquals(java.util.List.of("abandon", "closeWatch", "kill", "killAndAwait", "openWatch", "pollWatch",
                "status", "statusAny", "table"), ops);
    }

    @Test
    void attributesShowTheTableAndStatusEachDetail() throws Exception {
        try (TestSupport s = new TestSupport()) {
            CountDownLatch release = s.gate();
            var c = s.create(ContractTemplate.process().cookie(7).params(Param.NOORPHAN), () -> park(release));
            int id = c.id();

            int[] ids = (int[]) server.getAttribute(name, "ContractIds");
            assertTrue(Arrays.stream(ids).anyMatch(i -> i == id));
            assertEquals(1, ids[0], "the root contract first");
            assertEquals(ids.length, (int) server.getAttribute(name, "ContractCount"));
            TabularData byState = (TabularData) server.getAttribute(name, "ContractsByState");
            int owned = (Integer) byState.get(new Object[] {"OWNED"}).get("value");
            assertTrue(owned >= 2, "the root and ours: " + owned);
            assertTrue((Long) server.getAttribute(name, "Members") >= 1);

            CompositeData row = Arrays.stream((CompositeData[]) server.getAttribute(name, "Contracts"))
                    .filter(r -> (Integer) r.get("id") == id).findFirst().orElseThrow();
            assertEquals("OWNED", row.get("state"));
            assertEquals("process", row.get("type"));
            assertEquals(Thread.currentThread().threadId(), row.get("holder"));
            assertEquals(1, row.get("members"));
            assertEquals(7L, row.get("cookie"));

            String[] sig = {"int", "java.lang.String"};
            CompositeData common = (CompositeData) invoke("status", new Object[] {id, "common"}, sig);
            assertEquals("COMMON", common.get("detail"));
            assertNull(common.get("params"));
            assertNull(common.get("members"));
            CompositeData fixed = (CompositeData) invoke("status", new Object[] {id, "FIXED"}, sig);
            assertArrayEquals(new String[] {"NOORPHAN"}, (String[]) fixed.get("params"));
            assertNull(fixed.get("members"));
            CompositeData all = (CompositeData) invoke("status", new Object[] {id, "ALL"}, sig);
            CompositeData[] members = (CompositeData[]) all.get("members");
            assertEquals(1, members.length);
            assertEquals(c.member().threadId(), members[0].get("id"));
            assertEquals(Thread.currentThread().threadId(), all.get("creatorId"));

            // The same through a typed proxy.
            ContractsMXBean proxy = JMX.newMXBeanProxy(server, name, ContractsMXBean.class);
            ContractInfo info = proxy.status(id, "ALL");
            assertEquals(c.member().threadId(), info.getMembers()[0].getId());
            assertEquals(7L, info.getCookie());

            assertInstanceOf(InvalidArgumentException.class,
                    assertThrows(Exception.class, () -> invoke("status", new Object[] {id, "most"}, sig)));
            assertInstanceOf(NoSuchContractException.class, assertThrows(Exception.class,
                    () -> invoke("status", new Object[] {Integer.MAX_VALUE - 1, "ALL"}, sig)));
        }
    }

    @Test
    void aWatchReadsTheEventsOfItsContractsFromNowOrFromTheHead() throws Exception {
        ContractsMXBean proxy = JMX.newMXBeanProxy(server, name, ContractsMXBean.class);
        try (TestSupport s = new TestSupport()) {
            CountDownLatch release = s.gate();
            var c = s.create(ContractTemplate.process().informative(EventType.EXIT), () -> park(release));
            int id = c.id();
            int before = proxy.getWatches();
            long fromHead = proxy.openWatch(new int[] {id}, false, true);
            long fromNow = proxy.openWatch(new int[] {id}, false, false);
            assertEquals(before + 2, proxy.getWatches());
            try {
                assertEquals(0, proxy.pollWatch(fromNow, 10, 0).getEvents().length, "nothing has happened since");
                release.countDown();
                TestSupport.join(c.member());
                for (long w : new long[] {fromHead, fromNow}) {
                    java.util.List<EventData> got = new java.util.ArrayList<>();
                    long deadline = System.nanoTime() + TestSupport.WAIT.toNanos();
                    while (got.stream().noneMatch(e -> e.getType().equals("EMPTY")) && System.nanoTime() < deadline)
                        got.addAll(Arrays.asList(proxy.pollWatch(w, 10, 500).getEvents()));
                    assertEquals(java.util.List.of("EXIT", "EMPTY"), got.stream().map(EventData::getType).toList());
                    EventData exit = got.getFirst();
                    assertFalse(exit.isCritical());
                    assertEquals(c.member().threadId(), exit.getMember());
                    assertEquals("thread " + c.member().threadId() + " exited with status 0", exit.getSummary());
                    EventData empty = got.get(1);
                    assertTrue(empty.isCritical());
                    assertEquals(id, empty.getContractId());
                    assertTrue(empty.getId() > exit.getId());
                }
            } finally {
                proxy.closeWatch(fromHead);
                proxy.closeWatch(fromNow);
            }
            assertEquals(before, proxy.getWatches(), "closed watches are gone");
            assertInstanceOf(InvalidArgumentException.class,
                    assertThrows(Exception.class, () -> proxy.pollWatch(fromHead, 1, 0)));
            assertInstanceOf(NoSuchContractException.class,
                    assertThrows(Exception.class, () -> proxy.openWatch(new int[] {Integer.MAX_VALUE - 1}, false, false)));
            ContractPermissionException noPrivilege = assertThrows(ContractPermissionException.class,
                    () -> onThread(false, () -> {
                        Credential.current().without(Privilege.CONTRACT_EVENT).assume();
                        return proxy.openWatch(new int[0], true, false);
                    }));
            assertEquals(ContractError.EPERM, noPrivilege.error(), "a reliable watch needs contract_event");
        }
    }

    @Test
    void aWatchShowsEachCriticalEventsOwnAcknowledgement() throws Exception {
        ContractsMXBean proxy = JMX.newMXBeanProxy(server, name, ContractsMXBean.class);
        try (TestSupport s = new TestSupport()) {
            CountDownLatch release = s.gate(), forked = new CountDownLatch(1);
            var c = s.create(ContractTemplate.process().critical(EventType.FORK, EventType.EMPTY), () -> {
                s.startChild(() -> park(release));
                s.startChild(() -> park(release));
                forked.countDown();
                park(release);
            });
            TestSupport.await(forked);
            EventListener events = s.track(c.contract().events());
            ContractEvent first = events.takeCritical(TestSupport.WAIT);
            ContractEvent second = events.takeCritical(TestSupport.WAIT);
            long w = proxy.openWatch(new int[] {c.id()}, false, true);
            c.contract().ack(first);            // after the watch opened: it shows the event, acknowledged
            try {
                java.util.List<EventData> got = new java.util.ArrayList<>();
                long deadline = System.nanoTime() + TestSupport.WAIT.toNanos();
                // Three FORKs, all critical: the first member's and its two children's.
                while (got.size() < 3 && System.nanoTime() < deadline)
                    got.addAll(Arrays.asList(proxy.pollWatch(w, 10, 500).getEvents()));
                assertEquals(3, got.size(), got.toString());
                assertEquals(java.util.List.of(first.id(), second.id()), got.subList(0, 2).stream().map(EventData::getId).toList());
                assertTrue(got.get(0).isAcked(), "the first FORK was acknowledged");
                assertFalse(got.get(1).isAcked(), "the second was not, though an earlier one was");
                assertFalse(got.get(2).isAcked());
            } finally {
                proxy.closeWatch(w);
                release.countDown();
            }
        }
    }

    @Test
    void theTableShowsEveryLiveContractAndWithDeadTheReferencedDeadOnes() throws Exception {
        ContractsMXBean proxy = JMX.newMXBeanProxy(server, name, ContractsMXBean.class);
        try (TestSupport s = new TestSupport()) {
            var c = s.create(ContractTemplate.process(), () -> { });
            TestSupport.join(c.member());
            assertTrue(Arrays.stream(proxy.table("COMMON", false)).anyMatch(i -> i.getId() == c.id()));
            c.contract().abandon();
            assertEquals(ContractState.DEAD, c.contract().state());
            assertTrue(Arrays.stream(proxy.table("ALL", false)).noneMatch(i -> i.getId() == c.id()));
            ContractInfo dead = Arrays.stream(proxy.table("ALL", true)).filter(i -> i.getId() == c.id())
                    .findFirst().orElseThrow(() -> new AssertionError("dead contract still referenced (by c) not shown"));
            assertEquals("DEAD", dead.getState());
            assertEquals("DEAD", proxy.statusAny(c.id(), "COMMON").getState());
        }
    }

    @Test
    void killNeedsEveryPrivilege() throws Exception {
        try (TestSupport s = new TestSupport()) {
            CountDownLatch release = s.gate();
            var c = s.create(ContractTemplate.process(), () -> park(release));
            int id = c.id();

            ContractPermissionException denied = assertThrows(ContractPermissionException.class,
                    () -> onThread(true, () -> kill(id)));
            assertEquals(ContractError.EPERM, denied.error());
            assertFalse(c.contract().status(StatusDetail.ALL).members().getFirst().killed(), "not killed");
            // Called on the MXBean directly (no MBean server in between), the rule is the same.
            ContractsMXBean direct = JMX.newMXBeanProxy(server, name, ContractsMXBean.class);
            assertThrows(Exception.class, () -> onThread(true, () -> {
                direct.kill(id);
                return null;
            }));

            CompositeData report = onThread(false, () -> (CompositeData) invoke("killAndAwait",
                    new Object[] {id, 2_000L}, new String[] {"int", "long"}));
            assertEquals(true, report.get("empty"));
            assertEquals(id, report.get("contractId"));
            assertEquals(0, ((CompositeData[]) report.get("stragglers")).length);
            TestSupport.join(c.member());
            assertEquals(ContractState.OWNED, c.contract().state(), "a kill leaves the holder holding it");

            assertInstanceOf(InvalidArgumentException.class, assertThrows(Exception.class,
                    () -> onThread(false, () -> kill(1))), "the root contract cannot be killed");
        }
    }

    @Test
    void abandonNeedsEveryPrivilegeAndTakesTheContractFromItsHolder() throws Exception {
        try (TestSupport s = new TestSupport()) {
            CountDownLatch release = s.gate();
            var c = s.create(ContractTemplate.process(), () -> park(release));
            int id = c.id();
            try (EventListener l = s.track(c.contract().events())) {
                ContractPermissionException denied = assertThrows(ContractPermissionException.class,
                        () -> onThread(true, () -> abandon(id)));
                assertEquals(ContractError.EPERM, denied.error());
                assertEquals(ContractState.OWNED, c.contract().state());

                onThread(false, () -> abandon(id));
                assertEquals(ContractState.ORPHAN, c.contract().state(), "abandoned with a member");
                ContractPermissionException notHeld = assertThrows(ContractPermissionException.class,
                        () -> c.contract().kill());
                assertEquals(ContractError.EACCES, notHeld.error(), "the holder's handle no longer controls it");
                ContractPermissionException nobody = assertThrows(ContractPermissionException.class,
                        () -> onThread(false, () -> abandon(id)));
                assertEquals(ContractError.EACCES, nobody.error(), "an orphan has nobody to abandon it for");

                release.countDown();
                first(l, id, ContractEvent.Empty.class);
            }
            TestSupport.join(c.member());
            assertEquals(ContractState.DEAD, c.contract().state(), "the orphan died when it emptied");
        }
    }

    @Test
    void theSystemAbandonOfAnEmptyContractDestroysIt() throws Exception {
        try (TestSupport s = new TestSupport()) {
            var c = s.create(ContractTemplate.process(), () -> { });
            try (EventListener l = s.track(c.contract().events())) {
                c.contract().ack(first(l, c.id(), ContractEvent.Empty.class));
            }
            onThread(false, () -> abandon(c.id()));
            assertEquals(ContractState.DEAD, c.contract().state());
            assertInstanceOf(NoSuchContractException.class,
                    assertThrows(Exception.class, () -> onThread(false, () -> kill(c.id()))));
        }
    }

    @Test
    void killDataCarriesStragglers() throws Exception {
        try (TestSupport s = new TestSupport()) {
            CountDownLatch release = s.gate();
            var c = s.create(ContractTemplate.process(), () -> {
                while (true) {
                    try {
                        release.await();
                        return;
                    } catch (InterruptedException stubborn) {
                        // ignores the kill
                    }
                }
            });
            ContractsMXBean proxy = JMX.newMXBeanProxy(server, name, ContractsMXBean.class);
            KillData k = onThread(false, () -> proxy.killAndAwait(c.id(), 50));
            assertFalse(k.isEmpty());
            assertEquals(1, k.getStragglers().length);
            assertEquals(c.member().threadId(), k.getStragglers()[0].getMember());
            assertTrue(k.getStragglers()[0].getStack().length > 0);
            assertTrue(k.getElapsedNanos() >= 50_000_000L);
            ContractInfo all = proxy.status(c.id(), "ALL");
            assertEquals(1, all.getLastKill().getStragglers().length);
        }
    }
}
