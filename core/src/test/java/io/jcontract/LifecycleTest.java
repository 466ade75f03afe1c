package io.jcontract;

import static io.jcontract.LifecycleTestKit.ROOT;
import static io.jcontract.LifecycleTestKit.await;
import static io.jcontract.LifecycleTestKit.awaitState;
import static io.jcontract.LifecycleTestKit.first;
import static io.jcontract.LifecycleTestKit.is;
import static io.jcontract.LifecycleTestKit.join;
import static io.jcontract.LifecycleTestKit.ofType;
import static io.jcontract.LifecycleTestKit.readUntil;
import static io.jcontract.LifecycleTestKit.verbose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jcontract.ContractEvent.Core;
import io.jcontract.ContractEvent.Exit;
import io.jcontract.ContractEvent.Fork;
import io.jcontract.ContractEvent.HwErr;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Creation at fork, membership, the states of a contract (SEMANTICS 1.3,
 * 1.4), owner exit, and how a member's death is classified and applied
 * (1.6 fatal events; Part 2: CORE, HWERR, exit status).
 */
@Timeout(20)
class LifecycleTest {
    private final LifecycleTestKit.Cleanup cleanup = new LifecycleTestKit.Cleanup();
    private final long me = Thread.currentThread().threadId();

    @AfterEach
    void cleanUp() throws InterruptedException {
        cleanup.close();
        ContractTemplate.clear();
    }

    // ------------------------------------------------------------------ creation and membership

    @Test
    void forkWithActiveTemplateCreatesContractHeldByForkerWithChildAsFirstMember() throws Exception {
        try (EventListener bundle = Contracts.bundle()) {
            CountDownLatch hold = cleanup.latch(), seen = cleanup.latch(2);
            AtomicInteger[] childSees = {new AtomicInteger(), new AtomicInteger()};
            Thread child1, child2;
            Contract c1, c2;
            try (var active = verbose().activate()) {
                assertTrue(ContractTemplate.isActive());
                child1 = cleanup.thread(ContractThreads.startVirtual(() -> {
                    childSees[0].set(Contracts.current().id());
                    seen.countDown();
                    await(hold);
                }));
                c1 = cleanup.contract(Contracts.latest());
                child2 = cleanup.thread(ContractThreads.startPlatform(() -> {
                    childSees[1].set(Contracts.current().id());
                    seen.countDown();
                    await(hold);
                }));
                c2 = cleanup.contract(Contracts.latest());
            }
            assertFalse(ContractTemplate.isActive(), "closing the activation restores 'no template'");

            // Each fork with an active template made a new contract; latest() names the last one.
            assertNotEquals(ROOT, c1.id());
            assertNotEquals(ROOT, c2.id());
            assertNotEquals(c1.id(), c2.id());
            // The forking thread holds them, but is not a member: it stays in the root contract.
            assertEquals(ROOT, Contracts.current().id());
            await(seen);
            assertEquals(c1.id(), childSees[0].get(), "the child runs in the new contract");
            assertEquals(c2.id(), childSees[1].get());

            for (var pair : List.of(new Object[] {c1, child1, true}, new Object[] {c2, child2, false})) {
                Contract c = (Contract) pair[0];
                Thread child = (Thread) pair[1];
                ContractStatus s = c.status(StatusDetail.ALL);
                assertEquals(ContractState.OWNED, s.state());
                assertEquals(me, s.ownerId(), "held by the forking thread");
                assertEquals(me, s.creatorId());
                assertEquals(1, s.members().size(), s.members().toString());
                MemberInfo first = s.members().get(0);
                assertEquals(child.threadId(), first.id(), "the child is the first member");
                assertEquals(me, first.parent());
                assertEquals(pair[2], first.virtual());
                assertFalse(first.task());
                assertFalse(first.killed());
                assertTrue(Contracts.ids().contains(c.id()));
                assertEquals(c.id(), Contracts.lookup(c.id()).id());

                Fork fork = (Fork) first(bundle, c.id(), is(EventType.FORK));
                assertEquals(child.threadId(), fork.member());
                assertEquals(me, fork.parent());
            }
        }
    }

    @Test
    void withoutTemplateAChildJoinsItsParentsContract() throws Exception {
        try (EventListener bundle = Contracts.bundle()) {
            CountDownLatch hold = cleanup.latch(), grandchildUp = cleanup.latch(2);
            AtomicInteger grandchildSees = new AtomicInteger();
            AtomicBoolean templateActiveInChild = new AtomicBoolean(true);
            AtomicReference<Thread> grandchild = new AtomicReference<>();
            Thread child;
            Contract c;
            try (var active = verbose().activate()) {
                child = cleanup.thread(ContractThreads.startVirtual(() -> {
                    // A started thread "execs" its body: the template copied at fork is cleared.
                    templateActiveInChild.set(ContractTemplate.isActive());
                    grandchild.set(cleanup.thread(ContractThreads.startPlatform(() -> {
                        grandchildSees.set(Contracts.current().id());
                        grandchildUp.countDown();
                        await(hold);
                    })));
                    grandchildUp.countDown();
                    await(hold);
                }));
                c = cleanup.contract(Contracts.latest());
            }
            await(grandchildUp);
            assertFalse(templateActiveInChild.get());
            assertEquals(c.id(), grandchildSees.get(), "a member's own start joins its contract");
            assertEquals(c.id(), Contracts.latest().id(), "the child's start created no contract");

            Fork second = (Fork) first(bundle, c.id(), e -> e instanceof Fork f && f.member() != child.threadId());
            assertEquals(grandchild.get().threadId(), second.member());
            assertEquals(child.threadId(), second.parent());

            ContractStatus s = c.status(StatusDetail.ALL);
            assertEquals(Set.of(child.threadId(), grandchild.get().threadId()),
                    s.members().stream().map(MemberInfo::id).collect(Collectors.toSet()));
            MemberInfo g = s.members().stream().filter(m -> m.id() == grandchild.get().threadId()).findFirst().orElseThrow();
            assertEquals(child.threadId(), g.parent());
            assertFalse(g.virtual());
        }
    }

    @Test
    void threadsNotStartedByJcontractAreInTheRootContract() throws Exception {
        assertEquals(ROOT, Contracts.current().id(), "the test thread");

        AtomicInteger plain = new AtomicInteger(), virtual = new AtomicInteger();
        Thread p = new Thread(() -> plain.set(Contracts.current().id()));
        p.start();
        join(p);
        assertEquals(ROOT, plain.get(), "a plain new Thread");
        Thread v = Thread.ofVirtual().start(() -> virtual.set(Contracts.current().id()));
        join(v);
        assertEquals(ROOT, virtual.get(), "a virtual thread started without jcontract");

        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            assertEquals(ROOT, pool.submit(() -> Contracts.current().id()).get(5, TimeUnit.SECONDS),
                    "a raw pool's worker");
        } finally {
            pool.shutdownNow();
        }

        // Without a template, a start from a root thread joins the root contract.
        AtomicInteger joined = new AtomicInteger();
        Thread m = ContractThreads.startVirtual(() -> joined.set(Contracts.current().id()));
        join(m);
        assertEquals(ROOT, joined.get());

        ContractView root = Contracts.lookup(ROOT);
        assertEquals(ContractState.OWNED, root.state());
        assertEquals(0, root.status().ownerId(), "nobody holds the root");
        assertTrue(Contracts.ids().contains(ROOT));
        AtomicReference<Throwable> latest = new AtomicReference<>();
        Thread fresh = new Thread(() -> {
            try {
                Contracts.latest();
            } catch (Throwable e) {
                latest.set(e);
            }
        });
        fresh.start();
        join(fresh);
        assertInstanceOf(NoSuchContractException.class, latest.get(),
                "a thread that never created a contract has no latest");
    }

    // ------------------------------------------------------------------ states

    @Test
    void ownedContractThatEmptiesStaysOwnedUntilAbandonedThenDies() throws Exception {
        Contract c;
        Thread child;
        try (EventListener bundle = Contracts.bundle()) {
            try (var active = verbose().activate()) {
                child = ContractThreads.startVirtual(() -> { });
                c = cleanup.contract(Contracts.latest());
            }
            List<ContractEvent> events = readUntil(bundle, c.id(), is(EventType.EMPTY));
            Exit exit = (Exit) ofType(events, EventType.EXIT).get(0);
            assertEquals(child.threadId(), exit.member());
            assertEquals(Exit.STATUS_OK, exit.status());
            assertNull(exit.cause());
            assertTrue(events.indexOf(exit) < events.size() - 1, "EXIT precedes EMPTY: " + events);
            assertEquals(child.threadId(), events.get(events.size() - 1).member(), "EMPTY names the last member");
        }
        // Empty but OWNED: not destroyed, still in the table.
        assertEquals(ContractState.OWNED, c.state());
        assertTrue(c.status(StatusDetail.ALL).members().isEmpty());
        assertTrue(Contracts.ids().contains(c.id()));
        assertEquals(ContractState.OWNED, Contracts.lookup(c.id()).state());

        c.abandon();
        assertEquals(ContractState.DEAD, c.state(), "abandoning an empty contract destroys it");
        assertFalse(Contracts.ids().contains(c.id()));
        assertThrows(NoSuchContractException.class, () -> Contracts.lookup(c.id()));
        // A dead contract stays readable through handles that refer to it.
        assertEquals(ContractState.DEAD, c.status(StatusDetail.ALL).state());
        assertEquals(0, c.status().ownerId());
        ContractPermissionException again = assertThrows(ContractPermissionException.class, c::abandon);
        assertEquals(ContractError.EACCES, again.error());
    }

    @Test
    void abandonWithMembersOrphansAndTheOrphanDiesWithItsLastMember() throws Exception {
        try (EventListener bundle = Contracts.bundle()) {
            CountDownLatch hold = cleanup.latch(), up = cleanup.latch();
            AtomicBoolean interrupted = new AtomicBoolean();
            Thread child;
            Contract c;
            // FORK critical: an unacknowledged event that orphaning must acknowledge.
            try (var active = verbose().critical(EventType.EMPTY, EventType.HWERR, EventType.FORK).activate()) {
                child = cleanup.thread(ContractThreads.startVirtual(() -> {
                    up.countDown();
                    try {
                        hold.await();
                    } catch (InterruptedException e) {
                        interrupted.set(true);
                    }
                }));
                c = cleanup.contract(Contracts.latest());
            }
            await(up);
            assertEquals(1, c.status().unackedCritical());

            c.abandon();
            ContractStatus s = c.status(StatusDetail.ALL);
            assertEquals(ContractState.ORPHAN, s.state());
            assertEquals(0, s.ownerId(), "an orphan has no holder");
            assertEquals(0, s.unackedCritical(), "orphaning acknowledges every critical event");
            assertEquals(List.of(child.threadId()), s.members().stream().map(MemberInfo::id).toList());
            assertFalse(s.members().get(0).killed(), "without NOORPHAN the members are not killed");
            assertTrue(Contracts.ids().contains(c.id()), "an orphan with members is live");
            assertThrows(ContractPermissionException.class, c::kill, "the former holder controls it no more");

            hold.countDown();
            List<ContractEvent> events = readUntil(bundle, c.id(), is(EventType.EMPTY));
            Exit exit = (Exit) ofType(events, EventType.EXIT).get(0);
            assertEquals(Exit.STATUS_OK, exit.status());
            assertFalse(interrupted.get());
            assertEquals(ContractState.DEAD, c.state(), "an orphan dies when its last member exits");
            assertFalse(Contracts.ids().contains(c.id()));
            assertThrows(NoSuchContractException.class, () -> Contracts.lookup(c.id()));
        }
    }

    @Test
    void abandonWithNoorphanKillsTheMembersFirstThenTheOrphanDies() throws Exception {
        try (EventListener bundle = Contracts.bundle()) {
            CountDownLatch hold = cleanup.latch(), up = cleanup.latch(2);
            AtomicInteger interrupted = new AtomicInteger();
            AtomicReference<Thread> second = new AtomicReference<>();
            Thread child;
            Contract c;
            Runnable blocked = () -> {
                up.countDown();
                try {
                    hold.await();
                } catch (InterruptedException e) {
                    interrupted.incrementAndGet();
                }
            };
            try (var active = verbose().params(Param.NOORPHAN).activate()) {
                child = cleanup.thread(ContractThreads.startVirtual(() -> {
                    second.set(cleanup.thread(ContractThreads.startPlatform(blocked)));
                    blocked.run();
                }));
                c = cleanup.contract(Contracts.latest());
            }
            await(up);

            c.abandon();
            assertTrue(Set.of(ContractState.ORPHAN, ContractState.DEAD).contains(c.state()), c.state().toString());

            List<ContractEvent> events = readUntil(bundle, c.id(), is(EventType.EMPTY));
            List<ContractEvent> exits = ofType(events, EventType.EXIT);
            assertEquals(Set.of(child.threadId(), second.get().threadId()),
                    exits.stream().map(ContractEvent::member).collect(Collectors.toSet()));
            for (ContractEvent e : exits) assertEquals(Exit.STATUS_KILLED, ((Exit) e).status(), e.toString());
            assertEquals(2, interrupted.get(), "both members were interrupted by the kill");
            assertEquals(ContractState.DEAD, c.state());
            assertFalse(Contracts.ids().contains(c.id()));
        }
    }

    // ------------------------------------------------------------------ owner exit

    @ParameterizedTest(name = "noorphan={0}")
    @ValueSource(booleans = {false, true})
    void aMemberOwnerThatEndsAbandonsTheContractsItHolds(boolean noorphan) throws Exception {
        try (EventListener bundle = Contracts.bundle()) {
            CountDownLatch hold = cleanup.latch(), up = cleanup.latch();
            AtomicBoolean interrupted = new AtomicBoolean();
            AtomicReference<Contract> inner = new AtomicReference<>();
            AtomicReference<Thread> grandchild = new AtomicReference<>();
            Thread owner;
            try (var active = verbose().activate()) {
                owner = cleanup.thread(ContractThreads.startVirtual(() -> {
                    ContractTemplate t = verbose();
                    if (noorphan) t.params(Param.NOORPHAN);
                    try (var a = t.activate()) {
                        grandchild.set(cleanup.thread(ContractThreads.startVirtual(() -> {
                            up.countDown();
                            try {
                                hold.await();
                            } catch (InterruptedException e) {
                                interrupted.set(true);
                            }
                        })));
                        inner.set(cleanup.contract(Contracts.latest()));
                    }
                    await(up);
                    // ... and the owner returns, holding inner.
                }));
                cleanup.contract(Contracts.latest());
            }
            join(owner);
            Contract c = inner.get();
            assertNotNull(c);
            assertEquals(owner.threadId(), c.status(StatusDetail.ALL).creatorId());
            if (!noorphan) {
                // The owner's exit abandoned it before the owner left its own contract.
                ContractStatus s = c.status(StatusDetail.ALL);
                assertEquals(ContractState.ORPHAN, s.state());
                assertEquals(0, s.ownerId());
                assertEquals(1, s.members().size());
                hold.countDown();
            }
            List<ContractEvent> events = readUntil(bundle, c.id(), is(EventType.EMPTY));
            Exit exit = (Exit) ofType(events, EventType.EXIT).get(0);
            assertEquals(grandchild.get().threadId(), exit.member());
            assertEquals(noorphan ? Exit.STATUS_KILLED : Exit.STATUS_OK, exit.status());
            assertEquals(noorphan, interrupted.get());
            assertEquals(ContractState.DEAD, c.state());
            assertFalse(Contracts.ids().contains(c.id()));
        }
    }

    /**
     * A thread jcontract did not start cannot be seen ending from inside: a
     * watcher thread (one for all foreign owners, started when one first creates a
     * contract) sees it end and then abandons its contracts. So the test waits
     * for the orphan state (nothing publishes an event for it) or, with
     * NOORPHAN, for the EXIT and EMPTY the kill causes.
     */
    @ParameterizedTest(name = "noorphan={0}")
    @ValueSource(booleans = {false, true})
    void aForeignOwnerThatEndsHasItsContractsAbandonedByTheWatcher(boolean noorphan) throws Exception {
        try (EventListener bundle = Contracts.bundle()) {
            CountDownLatch hold = cleanup.latch(), up = cleanup.latch();
            AtomicBoolean interrupted = new AtomicBoolean();
            AtomicReference<Contract> made = new AtomicReference<>();
            AtomicReference<Thread> member = new AtomicReference<>();
            AtomicInteger ownerContract = new AtomicInteger();
            Thread foreign = new Thread(() -> {
                ownerContract.set(Contracts.current().id());
                ContractTemplate t = verbose();
                if (noorphan) t.params(Param.NOORPHAN);
                try (var a = t.activate()) {
                    member.set(cleanup.thread(ContractThreads.startVirtual(() -> {
                        up.countDown();
                        try {
                            hold.await();
                        } catch (InterruptedException e) {
                            interrupted.set(true);
                        }
                    })));
                    made.set(cleanup.contract(Contracts.latest()));
                }
                await(up);
            }, "foreign-owner-" + noorphan);
            foreign.start();
            join(foreign);
            assertEquals(ROOT, ownerContract.get());
            Contract c = made.get();
            assertNotNull(c);
            assertEquals(foreign.threadId(), c.status(StatusDetail.ALL).creatorId());

            if (!noorphan) {
                awaitState(c, ContractState.ORPHAN);
                assertEquals(0, c.status().ownerId());
                assertEquals(1, c.status(StatusDetail.ALL).members().size());
                assertFalse(interrupted.get());
                hold.countDown();
            }
            List<ContractEvent> events = readUntil(bundle, c.id(), is(EventType.EMPTY));
            Exit exit = (Exit) ofType(events, EventType.EXIT).get(0);
            assertEquals(member.get().threadId(), exit.member());
            assertEquals(noorphan ? Exit.STATUS_KILLED : Exit.STATUS_OK, exit.status());
            assertEquals(noorphan, interrupted.get());
            assertEquals(ContractState.DEAD, c.state());
            assertFalse(Contracts.ids().contains(c.id()));
        }
    }

    // ------------------------------------------------------------------ deaths

    /** A contract whose first member starts a sibling, waits until it is up, then runs {@code crash}. */
    private record Crash(Contract contract, Thread crasher, Thread sibling, CompletableFuture<Throwable> handler,
                         AtomicBoolean siblingInterrupted, CountDownLatch siblingHold) {
    }

    private Crash crash(ContractTemplate terms, Runnable crash) {
        CountDownLatch hold = cleanup.latch(), siblingUp = cleanup.latch(2);
        AtomicBoolean interrupted = new AtomicBoolean();
        AtomicReference<Thread> sibling = new AtomicReference<>();
        CompletableFuture<Throwable> handler = new CompletableFuture<>();
        Thread crasher;
        Contract c;
        try (var active = terms.activate()) {
            crasher = cleanup.thread(ContractThreads.start(
                    Thread.ofPlatform().name("crasher").uncaughtExceptionHandler((t, e) -> handler.complete(e)),
                    () -> {
                        sibling.set(cleanup.thread(ContractThreads.startVirtual(() -> {
                            siblingUp.countDown();
                            try {
                                hold.await();
                            } catch (InterruptedException e) {
                                interrupted.set(true);
                            }
                        })));
                        siblingUp.countDown();
                        await(siblingUp);
                        crash.run();
                    }));
            c = cleanup.contract(Contracts.latest());
        }
        await(siblingUp);
        return new Crash(c, crasher, sibling.get(), handler, interrupted, hold);
    }

    private static void recurse(int[] depth) {
        depth[0]++;
        recurse(depth);
    }

    @Test
    void uncaughtRuntimeExceptionIsCoreThenExitAndReachesTheHandler() throws Exception {
        try (EventListener bundle = Contracts.bundle()) {
            IllegalStateException boom = new IllegalStateException("boom");
            Crash x = crash(verbose(), () -> {
                throw boom;
            });
            List<ContractEvent> events = readUntil(bundle, x.contract.id(), is(EventType.EXIT, x.crasher.threadId()));
            Core core = (Core) ofType(events, EventType.CORE).get(0);
            Exit exit = (Exit) events.get(events.size() - 1);
            assertEquals(x.crasher.threadId(), core.member());
            assertSame(boom, core.cause());
            assertFalse(core.critical(), "CORE is informative by default");
            assertTrue(events.indexOf(core) < events.indexOf(exit), "CORE before EXIT: " + events);
            assertEquals(Exit.STATUS_FAILED, exit.status());
            assertSame(boom, exit.cause());
            assertTrue(ofType(events, EventType.HWERR).isEmpty());
            assertSame(boom, x.handler.get(5, TimeUnit.SECONDS), "the thread's handler still gets it");

            // CORE is not fatal by default: the sibling keeps running, unmarked.
            ContractStatus s = x.contract.status(StatusDetail.ALL);
            assertEquals(List.of(x.sibling.threadId()), s.members().stream().map(MemberInfo::id).toList());
            assertFalse(s.members().get(0).killed());
            assertTrue(x.sibling.isAlive());
            x.siblingHold.countDown();
            Exit sib = (Exit) first(bundle, x.contract.id(), is(EventType.EXIT, x.sibling.threadId()));
            assertEquals(Exit.STATUS_OK, sib.status());
            assertFalse(x.siblingInterrupted.get());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"OutOfMemoryError", "StackOverflowError", "InternalError"})
    void virtualMachineErrorIsHwerrThenExitAndFatalByDefault(String kind) throws Exception {
        try (EventListener bundle = Contracts.bundle()) {
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Supplier<Error> error = switch (kind) {
                case "OutOfMemoryError" -> () -> new OutOfMemoryError("test");
                case "InternalError" -> () -> new InternalError("test");
                default -> null;
            };
            Crash x = crash(verbose(), () -> {
                if (error != null) {
                    Error e = error.get();
                    thrown.set(e);
                    throw e;
                }
                try {
                    recurse(new int[1]);
                } catch (StackOverflowError e) {
                    thrown.set(e);
                    throw e;
                }
            });
            List<ContractEvent> events = readUntil(bundle, x.contract.id(), is(EventType.EMPTY));
            HwErr hw = (HwErr) ofType(events, EventType.HWERR).get(0);
            assertEquals(x.crasher.threadId(), hw.member());
            assertSame(thrown.get(), hw.error());
            assertTrue(hw.critical(), "HWERR is critical by default");
            Exit exit = (Exit) events.stream().filter(is(EventType.EXIT, x.crasher.threadId())).findFirst().orElseThrow();
            assertTrue(events.indexOf(hw) < events.indexOf(exit), "HWERR before EXIT: " + events);
            assertEquals(Exit.STATUS_FAILED, exit.status());
            assertSame(thrown.get(), exit.cause());
            assertTrue(ofType(events, EventType.CORE).isEmpty(), "a VM error is not a CORE: " + events);
            assertSame(thrown.get(), x.handler.get(5, TimeUnit.SECONDS));

            // HWERR is fatal by default: the sibling was killed.
            Exit sib = (Exit) events.stream().filter(is(EventType.EXIT, x.sibling.threadId())).findFirst().orElseThrow();
            assertEquals(Exit.STATUS_KILLED, sib.status());
            assertTrue(x.siblingInterrupted.get());
        }
    }

    @Test
    void hwerrOutsideTheFatalSetKillsNobody() throws Exception {
        try (EventListener bundle = Contracts.bundle()) {
            Crash x = crash(verbose().fatal(), () -> {
                throw new OutOfMemoryError("test");
            });
            List<ContractEvent> events = readUntil(bundle, x.contract.id(), is(EventType.EXIT, x.crasher.threadId()));
            assertEquals(1, ofType(events, EventType.HWERR).size());
            ContractStatus s = x.contract.status(StatusDetail.ALL);
            assertEquals(List.of(x.sibling.threadId()), s.members().stream().map(MemberInfo::id).toList());
            assertFalse(s.members().get(0).killed());
            x.siblingHold.countDown();
            Exit sib = (Exit) first(bundle, x.contract.id(), is(EventType.EXIT, x.sibling.threadId()));
            assertEquals(Exit.STATUS_OK, sib.status());
            assertFalse(x.siblingInterrupted.get());
        }
    }

    @Test
    void coreInTheFatalSetKillsTheOtherMembers() throws Exception {
        try (EventListener bundle = Contracts.bundle()) {
            RuntimeException boom = new RuntimeException("boom");
            Crash x = crash(verbose().fatal(EventType.CORE, EventType.HWERR), () -> {
                throw boom;
            });
            List<ContractEvent> events = readUntil(bundle, x.contract.id(), is(EventType.EMPTY));
            Core core = (Core) ofType(events, EventType.CORE).get(0);
            assertEquals(x.crasher.threadId(), core.member());
            Exit own = (Exit) events.stream().filter(is(EventType.EXIT, x.crasher.threadId())).findFirst().orElseThrow();
            assertEquals(Exit.STATUS_FAILED, own.status(), "the offender is not killed by its own crash");
            assertSame(boom, own.cause());
            Exit sib = (Exit) events.stream().filter(is(EventType.EXIT, x.sibling.threadId())).findFirst().orElseThrow();
            assertEquals(Exit.STATUS_KILLED, sib.status());
            assertTrue(x.siblingInterrupted.get());
            assertEquals(1, ofType(events, EventType.CORE).size(), "the killed sibling dumps no core: " + events);
        }
    }

    @Test
    void aKilledMembersDeathThrowableIsNotACore() throws Exception {
        try (EventListener bundle = Contracts.bundle()) {
            CountDownLatch hold = cleanup.latch(), up = cleanup.latch();
            CompletableFuture<Throwable> handler = new CompletableFuture<>();
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Thread child;
            Contract c;
            try (var active = verbose().fatal(EventType.CORE, EventType.HWERR).activate()) {
                child = cleanup.thread(ContractThreads.start(
                        Thread.ofVirtual().uncaughtExceptionHandler((t, e) -> handler.complete(e)), () -> {
                            up.countDown();
                            try {
                                hold.await();
                            } catch (InterruptedException e) {
                                IllegalStateException dying = new IllegalStateException("interrupted", e);
                                thrown.set(dying);
                                throw dying;
                            }
                        }));
                c = cleanup.contract(Contracts.latest());
            }
            await(up);
            c.kill();
            List<ContractEvent> events = readUntil(bundle, c.id(), is(EventType.EMPTY));
            assertTrue(ofType(events, EventType.CORE).isEmpty(), "no CORE for a killed member: " + events);
            Exit exit = (Exit) ofType(events, EventType.EXIT).get(0);
            assertEquals(child.threadId(), exit.member());
            assertEquals(Exit.STATUS_KILLED, exit.status());
            assertNotNull(thrown.get());
            assertSame(thrown.get(), exit.cause());
            assertSame(thrown.get(), handler.get(5, TimeUnit.SECONDS));
            assertInstanceOf(InterruptedException.class, exit.cause().getCause());
        }
    }
}
