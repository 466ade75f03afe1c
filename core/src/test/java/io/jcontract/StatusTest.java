package io.jcontract;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;

import static io.jcontract.EventType.CORE;
import static io.jcontract.EventType.EMPTY;
import static io.jcontract.EventType.EXIT;
import static io.jcontract.EventType.FORK;
import static io.jcontract.EventType.HWERR;
import static io.jcontract.EventType.SIGNAL;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Status at each level of detail, lookup and views, and handles that no longer hold (SEMANTICS 1.7, 2). */
@Timeout(10)
class StatusTest {
    private final TestSupport ts = new TestSupport();

    @AfterEach
    void cleanUp() {
        ts.close();
    }

    private TestSupport.Created parked(ContractTemplate t) {
        CountDownLatch go = ts.gate();
        return ts.create(t, () -> TestSupport.park(go));
    }

    // ------------------------------------------------------------------ levels

    /** Each accessor beyond a snapshot's detail throws, naming the component and the detail to ask for. */
    private static void assertNotAt(ContractStatus s, StatusDetail needed, String component,
                                    org.junit.jupiter.api.function.Executable accessor) {
        IllegalStateException e = assertThrows(IllegalStateException.class, accessor,
                component + " must not read as empty or null at " + s.detail());
        assertTrue(e.getMessage().contains(component) && e.getMessage().contains("status(" + needed + ")"),
                "names the component and the detail: " + e.getMessage());
    }

    @Test
    void commonHasNoFixedOrAllComponents() {
        var c = parked(ContractTemplate.process().cookie(5));
        ContractStatus s = c.contract().status(StatusDetail.COMMON);
        assertAll(
                () -> assertEquals(StatusDetail.COMMON, s.detail()),
                () -> assertTrue(s.includes(StatusDetail.COMMON)),
                () -> assertFalse(s.includes(StatusDetail.FIXED)),
                () -> assertEquals(c.id(), s.id()),
                () -> assertEquals("process", s.type()),
                () -> assertEquals(ContractState.OWNED, s.state()),
                () -> assertEquals(Thread.currentThread().threadId(), s.ownerId()),
                () -> assertEquals(0, s.regentId()),
                () -> assertEquals(0, s.unackedCritical()),
                () -> assertEquals(5L, s.cookie()),
                () -> assertEquals(EnumSet.of(CORE, SIGNAL), s.informative()),
                () -> assertEquals(EnumSet.of(EMPTY, HWERR), s.critical()),
                () -> assertNotAt(s, StatusDetail.FIXED, "params", s::params),
                () -> assertNotAt(s, StatusDetail.FIXED, "fatal", s::fatal),
                () -> assertNotAt(s, StatusDetail.FIXED, "serviceContractId", s::serviceContractId),
                () -> assertNotAt(s, StatusDetail.ALL, "members", s::members),
                () -> assertNotAt(s, StatusDetail.ALL, "inherited", s::inherited),
                () -> assertNotAt(s, StatusDetail.ALL, "creatorId", s::creatorId),
                () -> assertNotAt(s, StatusDetail.ALL, "creatorName", s::creatorName),
                () -> assertNotAt(s, StatusDetail.ALL, "creatorAux", s::creatorAux),
                () -> assertNotAt(s, StatusDetail.ALL, "serviceIdentity", s::serviceIdentity),
                () -> assertNotAt(s, StatusDetail.ALL, "pendingTasks", s::pendingTasks),
                () -> assertNotAt(s, StatusDetail.ALL, "eventsDropped", s::eventsDropped),
                () -> assertNotAt(s, StatusDetail.ALL, "lastKill", s::lastKill),
                () -> assertNotAt(s, StatusDetail.ALL, "owned", s::owned));
        assertEquals(StatusDetail.COMMON, c.contract().status().detail(), "status() is COMMON");
    }

    @Test
    void fixedAddsParamsFatalAndServiceContract() {
        var c = parked(ContractTemplate.process().params(Param.NOORPHAN).fatal(CORE, HWERR));
        ContractStatus s = c.contract().status(StatusDetail.FIXED);
        assertAll(
                () -> assertEquals(StatusDetail.FIXED, s.detail()),
                () -> assertTrue(s.includes(StatusDetail.FIXED)),
                () -> assertFalse(s.includes(StatusDetail.ALL)),
                () -> assertEquals(EnumSet.of(Param.NOORPHAN), s.params()),
                () -> assertEquals(EnumSet.of(CORE, HWERR), s.fatal()),
                () -> assertNotNull(s.serviceContractId()),
                () -> assertNotAt(s, StatusDetail.ALL, "members", s::members),
                () -> assertNotAt(s, StatusDetail.ALL, "creatorId", s::creatorId),
                () -> assertNotAt(s, StatusDetail.ALL, "serviceIdentity", s::serviceIdentity),
                () -> assertNotAt(s, StatusDetail.ALL, "pendingTasks", s::pendingTasks),
                () -> assertNotAt(s, StatusDetail.ALL, "owned", s::owned));
    }

    @Test
    void atAllAnEmptyListMeansNone() {
        var c = parked(ContractTemplate.process());
        ContractStatus s = c.contract().status(StatusDetail.ALL);
        assertAll(
                () -> assertEquals(1, s.members().size(), "the parked member"),
                () -> assertEquals(List.of(), s.inherited(), "holds no contracts"),
                () -> assertEquals(List.of(), s.owned(), "owns nothing"),
                () -> assertEquals(Set.of(), s.params()));
    }

    @Test
    void allFillsEverything() {
        var c = parked(ContractTemplate.process().creatorAux("made by StatusTest").serviceIdentity("svc:/status"));
        ContractStatus s = c.contract().status(StatusDetail.ALL);
        Thread me = Thread.currentThread();
        assertAll(
                () -> assertEquals(StatusDetail.ALL, s.detail()),
                () -> assertNotNull(s.params()),
                () -> assertNotNull(s.fatal()),
                () -> assertEquals(c.id(), s.serviceContractId()),
                () -> assertEquals(1, s.members().size()),
                () -> assertEquals(List.of(), s.inherited()),
                () -> assertEquals(me.threadId(), s.creatorId()),
                () -> assertEquals(me.getName(), s.creatorName()),
                () -> assertEquals("made by StatusTest", s.creatorAux()),
                () -> assertEquals("svc:/status", s.serviceIdentity()),
                () -> assertEquals(0, s.pendingTasks()),
                () -> assertNotNull(s.eventsDropped()));
    }

    @Test
    void statusShowsTheHolderAndTheTerms() {
        ContractTemplate t = ContractTemplate.process()
                .informative(FORK, EXIT).critical(EMPTY, CORE, HWERR).fatal(CORE, HWERR)
                .params(Param.NOORPHAN, Param.INHERIT).cookie(-42L).creatorAux("terms");
        var c = parked(t);
        ContractStatus s = c.contract().status(StatusDetail.ALL);
        assertAll(
                () -> assertEquals(Thread.currentThread().threadId(), s.ownerId(), "the creator holds it"),
                () -> assertEquals(-42L, s.cookie()),
                () -> assertEquals(EnumSet.of(FORK, EXIT), s.informative()),
                () -> assertEquals(EnumSet.of(EMPTY, CORE, HWERR), s.critical()),
                () -> assertEquals(EnumSet.of(CORE, HWERR), s.fatal()),
                () -> assertEquals(EnumSet.of(Param.NOORPHAN, Param.INHERIT), s.params()),
                () -> assertEquals("terms", s.creatorAux()));
    }

    @Test
    void membersListsThreadsAndTasksWithTheirFlagsAndParents() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            CountDownLatch go = ts.gate();
            CountDownLatch taskRunning = new CountDownLatch(1), ready = new CountDownLatch(1);
            AtomicBoolean secondRan = new AtomicBoolean();
            var platform = new java.util.concurrent.CompletableFuture<Thread>();
            var c = ts.create(ContractTemplate.process(), () -> {
                ExecutorService wrapped = ContractExecutors.wrap(pool);
                Future<?> f1 = wrapped.submit(() -> {
                    taskRunning.countDown();
                    TestSupport.park(go);
                });
                Future<?> f2 = wrapped.submit(() -> secondRan.set(true));   // pending behind the first
                platform.complete(ts.startPlatformChild(() -> TestSupport.park(go)));
                ready.countDown();
                TestSupport.park(go);
                try {
                    f1.get();
                    f2.get();
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            TestSupport.await(taskRunning);
            TestSupport.await(ready);
            Thread p = platform.join();
            long me = Thread.currentThread().threadId();
            long first = c.member().threadId();

            ContractStatus s = c.contract().status(StatusDetail.ALL);
            assertEquals(1, s.pendingTasks(), "the second task has not started");
            Map<Long, MemberInfo> byId = s.members().stream()
                    .collect(Collectors.toMap(MemberInfo::id, Function.identity()));
            assertEquals(3, byId.size(), "first member, platform child, running task: " + s.members());

            MemberInfo m = byId.get(first);
            assertNotNull(m, "first member listed");
            assertAll(
                    () -> assertFalse(m.task()),
                    () -> assertTrue(m.virtual()),
                    () -> assertEquals(me, m.parent()),
                    () -> assertFalse(m.killed()));
            MemberInfo pi = byId.get(p.threadId());
            assertNotNull(pi, "platform child listed");
            assertAll(
                    () -> assertFalse(pi.task()),
                    () -> assertFalse(pi.virtual()),
                    () -> assertEquals(first, pi.parent()),
                    () -> assertEquals(p.getName(), pi.name()),
                    () -> assertFalse(pi.killed()));
            MemberInfo task = s.members().stream().filter(MemberInfo::task).findFirst().orElseThrow();
            assertAll(
                    () -> assertTrue(task.id() >= ContractEvent.TASK_ID_BASE, "task ids come from their own sequence"),
                    () -> assertFalse(task.virtual(), "runs on the pool's platform worker"),
                    () -> assertEquals(first, task.parent()),
                    () -> assertFalse(task.killed()));

            go.countDown();
            TestSupport.join(c.member());
            TestSupport.join(p);
            // a task's Future may complete just before the task leaves: wait for the (critical, kept) EMPTY
            TestSupport.first(ts.track(c.contract().events()), c.id(), ContractEvent.Empty.class);
            assertTrue(secondRan.get());
            ContractStatus after = c.contract().status(StatusDetail.ALL);
            assertEquals(List.of(), after.members());
            assertEquals(0, after.pendingTasks());
        } finally {
            pool.shutdown();
        }
    }

    // ------------------------------------------------------------------ lookup and views

    @Test
    void lookupOfAnUnknownIdIsNoSuchContract() {
        int unknown = 1_999_999_999;
        var e = assertThrows(NoSuchContractException.class, () -> Contracts.lookup(unknown));
        assertEquals(ContractError.ESRCH, e.error());
        assertTrue(e.getMessage().contains(Integer.toString(unknown)), e.getMessage());
    }

    @Test
    void lookupGivesAViewThatIsNotAContract() {
        CountDownLatch go = ts.gate();
        var c = ts.create(ContractTemplate.process().informative(EXIT), () -> TestSupport.park(go));
        ContractView view = Contracts.lookup(c.id());
        assertFalse(view instanceof Contract, "a looked-up view must not be a control handle");
        assertFalse(c.contract().view() instanceof Contract, "the holder's view() must not be a control handle");
        assertEquals(c.id(), view.id());
        assertEquals(ContractState.OWNED, view.state());
        assertEquals(c.contract().status(StatusDetail.ALL).ownerId(), view.status(StatusDetail.ALL).ownerId());

        EventListener l = ts.track(view.events());
        go.countDown();
        ContractEvent exit = TestSupport.next(l, c.id());
        assertEquals(EXIT, exit.type());
        assertEquals(c.member().threadId(), exit.member());
        assertEquals(EMPTY, TestSupport.next(l, c.id()).type());
    }

    @Test
    void operationsOnAHandleAfterAbandonAreAccessDenied() {
        var c = ts.create(ContractTemplate.process(), () -> { });
        TestSupport.join(c.member());
        Contract h = c.contract();
        h.abandon();
        assertEquals(ContractState.DEAD, h.state());
        assertDenied(h, () -> h.kill());
        assertDenied(h, () -> h.ack(1L));
        assertDenied(h, () -> h.register(() -> { }));
        assertDenied(h, h::abandon);
        // still readable
        assertEquals(c.id(), h.status().id());
        assertEquals(ContractState.DEAD, h.status().state());
    }

    @Test
    void operationsOnAHandleOfAnOrphanAreAccessDenied() {
        CountDownLatch go = ts.gate();
        var c = ts.create(ContractTemplate.process(), () -> TestSupport.park(go));
        Contract h = c.contract();
        h.abandon();
        assertEquals(ContractState.ORPHAN, h.state());
        assertDenied(h, () -> h.kill());
        assertDenied(h, () -> h.ack(1L));
        assertDenied(h, () -> h.register(() -> { }));
        assertDenied(h, h::abandon);
        go.countDown();
        TestSupport.join(c.member());
        assertEquals(ContractState.DEAD, h.state());
    }

    private static void assertDenied(Contract h, org.junit.jupiter.api.function.Executable op) {
        var e = assertThrows(ContractPermissionException.class, op);
        assertEquals(ContractError.EACCES, e.error());
        assertTrue(e.getMessage().contains(Integer.toString(h.id())), e.getMessage());
    }

    // ------------------------------------------------------------------ root

    @Test
    void theRootContractIsLiveAndHoldsTheTestThread() {
        assertEquals(1, Contracts.current().id(), "a thread jcontract did not start is in the root contract");
        assertTrue(Contracts.ids().contains(1));
        ContractView root = Contracts.lookup(1);
        assertFalse(root instanceof Contract);
        assertEquals(ContractState.OWNED, root.state());
        ContractStatus s = root.status(StatusDetail.ALL);
        assertEquals(1, s.id());
        assertEquals(0L, s.ownerId(), "nobody holds the root");
        assertTrue(s.params().contains(Param.NOORPHAN));
    }

    @Test
    void aMembersCurrentContractIsItsOwn() throws Exception {
        var own = new java.util.concurrent.CompletableFuture<ContractView>();
        var c = ts.create(ContractTemplate.process(), () -> own.complete(Contracts.current()));
        ContractView v = own.get(2, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(c.id(), v.id());
        assertFalse(v instanceof Contract, "current() is a view, not control");
        assertEquals(1, Contracts.current().id(), "the creator stays in its own contract");
    }
}
