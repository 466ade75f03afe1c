package io.jcontract;

import static io.jcontract.LifecycleTestKit.await;
import static io.jcontract.LifecycleTestKit.is;
import static io.jcontract.LifecycleTestKit.ofType;
import static io.jcontract.LifecycleTestKit.readUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jcontract.ContractEvent.Exit;

import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

/**
 * Credentials and the privilege rules (SEMANTICS 1.2, 1.6, Part 2): who
 * holds what, inheritance at fork, one-way dropping, the template rules for
 * the unprivileged, observing, the bundle's filter, reliable listeners, and
 * the scope of fatal kills.
 */
@Timeout(30)
class CredentialTest {

    private static ContractPermissionException denied(ContractError error, Executable what) {
        ContractPermissionException e = assertThrows(ContractPermissionException.class, what);
        assertEquals(error, e.error(), e.getMessage());
        return e;
    }

    /** An actor (in the root contract) that has assumed {@code cred.get()}, computed on its own thread. */
    private static Actor actingAs(Scene s, String name, Supplier<Credential> cred) {
        Actor a = s.startActor(name);
        a.run(() -> cred.get().assume());
        return a;
    }

    private static Credential nonObserver(String identity) {
        return Credential.current().as(identity).without(Privilege.CONTRACT_OBSERVER);
    }

    // ------------------------------------------------------------------ who holds what

    @Test
    void jvmThreadsAreSystemWithEveryPrivilege() throws Exception {
        Credential mine = Credential.current();
        assertEquals(Credential.system(), mine);
        assertEquals(Credential.SYSTEM_IDENTITY, mine.identity());
        assertEquals("system", mine.identity());
        assertEquals(EnumSet.allOf(Privilege.class), mine.privileges());
        assertTrue(mine.isFullyPrivileged());
        AtomicReference<Credential> platform = new AtomicReference<>(), virtual = new AtomicReference<>();
        Thread p = Thread.ofPlatform().start(() -> platform.set(Credential.current()));
        Thread v = Thread.ofVirtual().start(() -> virtual.set(Credential.current()));
        LifecycleTestKit.join(p);
        LifecycleTestKit.join(v);
        assertEquals(Credential.system(), platform.get(), "a thread jcontract did not start");
        assertEquals(Credential.system(), virtual.get());
    }

    @Test
    void credentialsCannotBeConstructedByOtherCode() {
        assertEquals(0, Credential.class.getConstructors().length, "no public constructor");
        for (Constructor<?> c : Credential.class.getDeclaredConstructors())
            assertTrue(Modifier.isPrivate(c.getModifiers()), c + " is private");
        assertThrows(UnsupportedOperationException.class,
                () -> Credential.system().without(Privilege.CONTRACT_EVENT).privileges().add(Privilege.CONTRACT_EVENT));
    }

    @Test
    void aStartedThreadInheritsItsStartersCredentialAndDropsAreLocalToTheThread() {
        try (Scene s = new Scene()) {
            Actor a = s.startActor("a");
            assertEquals(Credential.system(), a.call(Credential::current));
            Credential alice = a.call(() -> {
                nonObserver("alice").assume();
                return Credential.current();
            });
            assertEquals("alice", alice.identity());
            assertEquals(EnumSet.of(Privilege.CONTRACT_EVENT, Privilege.CONTRACT_IDENTITY, Privilege.SYS_RESOURCE),
                    alice.privileges());
            assertEquals(Credential.system(), Credential.current(), "the starter is untouched");

            Actor b = s.spawn(a, "b");
            assertEquals(alice, b.call(Credential::current), "inherited at fork");
            Credential lower = b.call(() -> {
                Credential.current().without(Privilege.CONTRACT_EVENT).assume();
                return Credential.current();
            });
            Actor c = s.spawn(b, "c");
            assertEquals(lower, c.call(Credential::current));
            assertEquals(alice, a.call(Credential::current), "a child's drop does not reach its parent");

            // The first member of a new contract inherits its creator's credential too.
            CountDownLatch gate = s.gate(), seen = new CountDownLatch(1);
            AtomicReference<Credential> first = new AtomicReference<>();
            s.createOn(b, ContractTemplate.process(), () -> {
                first.set(Credential.current());
                seen.countDown();
                TestSupport.park(gate);
            });
            await(seen);
            assertEquals(lower, first.get());
        }
    }

    // ------------------------------------------------------------------ one-way

    @Test
    void privilegesAreOnlyEverDropped() {
        try (Scene s = new Scene()) {
            Actor u = s.startActor("u");
            u.run(() -> {
                Credential full = Credential.current();
                Credential.current().without(Privilege.CONTRACT_EVENT).assume();
                Credential now = Credential.current();
                denied(ContractError.EPERM, () -> Credential.system().assume());
                denied(ContractError.EPERM, full::assume);
                denied(ContractError.EPERM, () -> now.as("other"));
                denied(ContractError.EPERM, () -> now.as("system"));
                assertEquals(now, Credential.current(), "a denied assume changes nothing");
                // Dropping further is fine, and so is assuming what one already has.
                now.assume();
                Credential.current().without(Privilege.CONTRACT_OBSERVER).assume();
                assertEquals(EnumSet.of(Privilege.CONTRACT_IDENTITY, Privilege.SYS_RESOURCE),
                        Credential.current().privileges());
                denied(ContractError.EPERM, now::assume);
            });
            // Identity: only a fully privileged credential may take another one.
            denied(ContractError.EPERM, () -> Credential.system().without(Privilege.CONTRACT_IDENTITY).as("bob"));
            assertThrows(InvalidArgumentException.class, () -> Credential.system().as(" "));
            Actor v = s.startActor("v");
            v.run(() -> {
                Credential.current().as("alice").without(Privilege.CONTRACT_OBSERVER).assume();
                // alice without a privilege cannot become bob, nor system again.
                denied(ContractError.EPERM, () -> Credential.current().as("bob"));
                denied(ContractError.EPERM, () -> Credential.system().assume());
                denied(ContractError.EPERM, () -> Credential.system().without(Privilege.CONTRACT_OBSERVER).assume());
                assertEquals("alice", Credential.current().identity());
            });
        }
    }

    // ------------------------------------------------------------------ template rules

    @Test
    void growingTheCriticalSetBeyondFatalAndEmptyNeedsContractEvent() {
        try (Scene s = new Scene()) {
            Actor u = actingAs(s, "u", () -> Credential.current().without(Privilege.CONTRACT_EVENT));
            u.run(() -> {
                ContractTemplate t = ContractTemplate.process();
                denied(ContractError.EPERM, () -> t.critical(EventType.EMPTY, EventType.HWERR, EventType.CORE));
                denied(ContractError.EPERM, () -> t.critical(EventType.EMPTY, EventType.HWERR, EventType.EXIT));
                denied(ContractError.EPERM, () -> t.set(ContractTemplate.Term.CRITICAL,
                        io.jcontract.internal.Bits.events(EventType.FORK)));
                assertEquals(EnumSet.of(EventType.EMPTY, EventType.HWERR), t.criticalSet(), "unchanged by a denial");
                // Shrinking is always allowed, and so is growing within fatal ∪ {EMPTY}.
                t.critical(EventType.EMPTY);
                t.critical();
                assertEquals(Set.of(), t.criticalSet());
                t.fatal(EventType.CORE, EventType.HWERR).critical(EventType.EMPTY, EventType.CORE, EventType.HWERR);
                assertEquals(EnumSet.of(EventType.EMPTY, EventType.CORE, EventType.HWERR), t.criticalSet());
                // With PGRPONLY only EMPTY is free.
                ContractTemplate g = ContractTemplate.process().critical(EventType.EMPTY).params(Param.PGRPONLY);
                denied(ContractError.EPERM, () -> g.critical(EventType.EMPTY, EventType.HWERR));
                g.critical(EventType.EMPTY);
            });
            // The privileged test thread may.
            ContractTemplate t = ContractTemplate.process().critical(EventType.EMPTY, EventType.FORK, EventType.EXIT);
            assertEquals(EnumSet.of(EventType.EMPTY, EventType.FORK, EventType.EXIT), t.criticalSet());
        }
    }

    @Test
    void pgrponlyMovesCriticalEventsToInformativeForTheUnprivileged() {
        try (Scene s = new Scene()) {
            Actor u = actingAs(s, "u", () -> Credential.current().without(Privilege.CONTRACT_EVENT));
            ContractTemplate t = u.call(() -> ContractTemplate.process()
                    .fatal(EventType.CORE, EventType.HWERR)
                    .critical(EventType.EMPTY, EventType.CORE, EventType.HWERR)
                    .params(Param.PGRPONLY));
            assertEquals(EnumSet.of(EventType.EMPTY), t.criticalSet());
            assertEquals(EnumSet.of(EventType.CORE, EventType.SIGNAL, EventType.HWERR), t.informativeSet());
            // A contract made from it has those terms.
            CountDownLatch gate = s.gate();
            Contract c = s.createOn(u, t, s.parked(gate, null)).contract();
            ContractStatus st = c.status(StatusDetail.FIXED);
            assertEquals(EnumSet.of(EventType.EMPTY), st.critical());
            assertTrue(st.informative().contains(EventType.CORE));
            // The privileged keep their critical set.
            ContractTemplate p = ContractTemplate.process().fatal(EventType.CORE, EventType.HWERR)
                    .critical(EventType.EMPTY, EventType.CORE, EventType.HWERR).params(Param.PGRPONLY);
            assertEquals(EnumSet.of(EventType.EMPTY, EventType.CORE, EventType.HWERR), p.criticalSet());
        }
    }

    @Test
    void changingTheFatalSetMovesExactlyTheEventsNoLongerAllowed() {
        try (Scene s = new Scene()) {
            Actor u = actingAs(s, "u", () -> Credential.current().without(Privilege.CONTRACT_EVENT));
            u.run(() -> {
                ContractTemplate t = ContractTemplate.process().informative(EventType.SIGNAL)
                        .fatal(EventType.CORE, EventType.HWERR)
                        .critical(EventType.EMPTY, EventType.CORE, EventType.HWERR);
                t.fatal(EventType.HWERR);
                // Not the kernel's precedence slip (which would leave only EMPTY critical).
                assertEquals(EnumSet.of(EventType.EMPTY, EventType.HWERR), t.criticalSet());
                assertEquals(EnumSet.of(EventType.SIGNAL, EventType.CORE), t.informativeSet());
                t.fatal();
                assertEquals(EnumSet.of(EventType.EMPTY), t.criticalSet());
                assertEquals(EnumSet.of(EventType.SIGNAL, EventType.CORE, EventType.HWERR), t.informativeSet());
                // Growing the fatal set moves nothing back.
                t.fatal(EventType.CORE, EventType.HWERR);
                assertEquals(EnumSet.of(EventType.EMPTY), t.criticalSet());
            });
            ContractTemplate p = ContractTemplate.process().informative(EventType.SIGNAL)
                    .fatal(EventType.CORE, EventType.HWERR)
                    .critical(EventType.EMPTY, EventType.CORE, EventType.HWERR).fatal(EventType.HWERR);
            assertEquals(EnumSet.of(EventType.EMPTY, EventType.CORE, EventType.HWERR), p.criticalSet(),
                    "the privileged keep events beyond the fatal set critical");
            assertEquals(EnumSet.of(EventType.SIGNAL), p.informativeSet());
        }
    }

    @Test
    void aServiceIdentityNeedsContractIdentity() {
        try (Scene s = new Scene()) {
            Actor u = actingAs(s, "u", () -> Credential.current().without(Privilege.CONTRACT_IDENTITY));
            u.run(() -> {
                ContractTemplate t = ContractTemplate.process();
                denied(ContractError.EPERM, () -> t.serviceIdentity("svc:/site/app:default"));
                assertEquals(null, t.serviceIdentity());
            });
            assertEquals("svc:/site/app:default",
                    ContractTemplate.process().serviceIdentity("svc:/site/app:default").serviceIdentity());
        }
    }

    @Test
    void reliableListenersNeedContractEvent() {
        try (Scene s = new Scene()) {
            Actor u = actingAs(s, "u", () -> Credential.current().without(Privilege.CONTRACT_EVENT));
            CountDownLatch gate = s.gate();
            Contract c = s.createOn(u, ContractTemplate.process(), s.parked(gate, null)).contract();
            u.run(() -> {
                denied(ContractError.EPERM, c::reliableEvents);
                denied(ContractError.EPERM, () -> Contracts.lookup(c.id()).reliableEvents());
                c.events().close();           // an ordinary listener is fine for the holder
            });
            s.listener(c.reliableEvents()).close();   // the privileged test thread may
        }
    }

    // ------------------------------------------------------------------ observing

    /**
     * The observer rule (issue 14): a contract's events are readable by threads of its
     * <em>author's</em> identity (its creator's, as illumos compares {@code ct_cuid}), not of
     * its holder's current identity. Here the holder drops to identity "dave" after creating
     * the contract: another non-observer "dave" may not read it, one of the author's identity may.
     */
    @Test
    void theObserverRuleComparesTheAuthorsIdentityNotTheHolders() {
        try (Scene s = new Scene()) {
            CountDownLatch gate = s.gate();
            Actor sys = s.startActor("system-holder");
            String author = sys.call(() -> Credential.current().identity());
            Contract c = s.createOn(sys, ContractTemplate.process(), s.parked(gate, null)).contract();
            sys.run(() -> nonObserver("dave").assume());
            assertEquals("dave", sys.call(() -> Credential.current().identity()), "the holder is dave now");
            sys.run(() -> c.events().close());                          // the holder may, whoever it is now
            Actor dave = actingAs(s, "dave-2", () -> nonObserver("dave"));
            dave.run(() -> assertThrows(ContractPermissionException.class,
                    () -> Contracts.lookup(c.id()).events(), "the holder's identity grants nothing"));
            Actor sameAsAuthor = actingAs(s, "author-2", () -> nonObserver(author));
            sameAsAuthor.run(() -> Contracts.lookup(c.id()).events().close());
        }
    }

    @Test
    void readingAnotherIdentitysContractNeedsContractObserver() {
        try (Scene s = new Scene()) {
            CountDownLatch gate = s.gate();
            Actor sys = s.startActor("system-holder");
            Contract systems = s.createOn(sys, ContractTemplate.process(), s.parked(gate, null)).contract();

            Actor alice = actingAs(s, "alice", () -> nonObserver("alice"));
            alice.run(() -> {
                ContractView v = Contracts.lookup(systems.id());
                assertThrows(ContractPermissionException.class, v::events);
                assertThrows(ContractPermissionException.class, v::reliableEvents);
                assertEquals(ContractState.OWNED, v.status().state(), "status stays readable");
                assertFalse(v instanceof Contract, "a view is not a control handle");
            });
            // An observer of another identity may.
            Actor carol = actingAs(s, "carol", () -> Credential.current().as("carol"));
            carol.run(() -> Contracts.lookup(systems.id()).events().close());
            // The holder may, even after dropping to a non-observer of another identity.
            sys.run(() -> {
                nonObserver("dave").assume();
                Contracts.lookup(systems.id()).events().close();
                systems.events().close();
            });
            // A thread of the author's identity may.
            Contract alices = s.createOn(alice, ContractTemplate.process(), s.parked(gate, null)).contract();
            Actor alice2 = actingAs(s, "alice-2", () -> nonObserver("alice"));
            alice2.run(() -> Contracts.lookup(alices.id()).events().close());
            Actor bob = actingAs(s, "bob", () -> nonObserver("bob"));
            bob.run(() -> assertThrows(ContractPermissionException.class,
                    () -> Contracts.lookup(alices.id()).events()));
        }
    }

    @Test
    void theBundleShowsANonObserverOnlyTheEventsOfItsOwnIdentitysContracts() throws Exception {
        try (Scene s = new Scene()) {
            Actor alice = actingAs(s, "alice", () -> nonObserver("alice"));
            Actor bob = actingAs(s, "bob", () -> nonObserver("bob"));
            CountDownLatch aliceGo = s.gate(), bobGo = s.gate(), aliceEnd = s.gate(), bobEnd = s.gate();
            Contract a = s.createOn(alice, LifecycleTestKit.verbose(), body(s, aliceGo, aliceEnd)).contract();
            Contract b = s.createOn(bob, LifecycleTestKit.verbose(), body(s, bobGo, bobEnd)).contract();
            EventListener all = s.listener(Contracts.bundle());
            EventListener alices = s.listener(alice.call(Contracts::bundle));
            EventListener bobs = s.listener(bob.call(Contracts::bundle));

            // Bob's contract is busy first: forks, exits, empties.
            bobGo.countDown();
            bobEnd.countDown();
            List<ContractEvent> bobsEvents = readUntil(all, b.id(), is(EventType.EMPTY));
            assertTrue(ofType(bobsEvents, EventType.FORK).size() >= 1, "bob's contract was busy: " + bobsEvents);
            // Then alice's.
            aliceGo.countDown();
            aliceEnd.countDown();
            List<ContractEvent> alicesEvents = readUntil(all, a.id(), is(EventType.EMPTY));

            // Alice's bundle, read up to her EMPTY, holds only her events, and all of them.
            List<ContractEvent> seenByAlice = new java.util.ArrayList<>();
            for (;;) {
                ContractEvent e = alices.take(LifecycleTestKit.WAIT);
                seenByAlice.add(e);
                if (e.contractId() == a.id() && e.type() == EventType.EMPTY) break;
            }
            assertTrue(seenByAlice.stream().allMatch(e -> e.contractId() == a.id()),
                    "alice, no observer, saw: " + seenByAlice);
            assertEquals(alicesEvents.stream().map(ContractEvent::id).toList(),
                    seenByAlice.stream().map(ContractEvent::id).toList());
            // Bob's shows bob's events and nothing of alice's.
            List<ContractEvent> seenByBob = new java.util.ArrayList<>();
            for (Optional<ContractEvent> e = bobs.poll(); e.isPresent(); e = bobs.poll()) seenByBob.add(e.get());
            assertTrue(seenByBob.stream().allMatch(e -> e.contractId() == b.id()), "bob saw: " + seenByBob);
            assertEquals(bobsEvents.stream().map(ContractEvent::id).toList(),
                    seenByBob.stream().map(ContractEvent::id).toList());
        }
    }

    /** A first member that, on {@code go}, starts a child and waits for it, then ends on {@code end}. */
    private static Runnable body(Scene s, CountDownLatch go, CountDownLatch end) {
        return () -> {
            TestSupport.park(go);
            TestSupport.joinQuietly(s.start(() -> { }));
            TestSupport.park(end);
        };
    }

    // ------------------------------------------------------------------ kill scope

    /**
     * A contract authored by {@code author} with {@code fatal} fatal: its
     * first member starts one member per credential in {@code identities}
     * (each assumes it, then parks) and a crasher that assumes
     * {@code offender} and dies of {@code death}. Returns the EXIT events up
     * to EMPTY after the gate is released.
     */
    private static List<ContractEvent> crashIn(Scene s, Supplier<Credential> author, EventType fatal,
                                               Supplier<Credential> offender, RuntimeException coreDeath,
                                               Error hwDeath, List<Supplier<Credential>> identities) throws Exception {
        Actor creator = actingAs(s, "author", author);
        CountDownLatch gate = s.gate(), fire = s.gate(), up = new CountDownLatch(identities.size() + 1);
        ContractTemplate t = LifecycleTestKit.verbose().fatal(fatal);
        Contract c = s.createOn(creator, t, () -> {
            for (Supplier<Credential> id : identities)
                s.start(() -> {
                    id.get().assume();
                    s.parked(gate, up).run();
                });
            s.start(() -> {
                offender.get().assume();
                TestSupport.park(fire);
                if (hwDeath != null) throw hwDeath;
                throw coreDeath;
            });
            s.parked(gate, up).run();
        }).contract();
        EventListener events = s.listener(c.events());
        await(up);
        fire.countDown();
        List<ContractEvent> exits = ofType(readUntil(events, c.id(), e -> e.type() == EventType.EXIT
                && ((Exit) e).status() == Exit.STATUS_FAILED), EventType.EXIT);
        // Whoever was not killed is still parked; release them and read to EMPTY.
        gate.countDown();
        List<ContractEvent> rest = readUntil(events, c.id(), is(EventType.EMPTY));
        List<ContractEvent> all = new java.util.ArrayList<>(exits);
        all.addAll(ofType(rest, EventType.EXIT));
        return all;
    }

    private static long killed(List<ContractEvent> exits) {
        return exits.stream().filter(e -> ((Exit) e).status() == Exit.STATUS_KILLED).count();
    }

    @Test
    void aCoreKillInASystemAuthoredContractReachesMembersOfEveryIdentity() throws Exception {
        try (Scene s = new Scene()) {
            List<ContractEvent> exits = crashIn(s, Credential::current, EventType.CORE,
                    () -> nonObserver("alice"), new IllegalStateException("crash"), null,
                    List.of(() -> nonObserver("bob"), () -> nonObserver("alice"),
                            () -> Credential.current().as("carol").without(Privilege.values())));
            assertEquals(5, exits.size(), "4 members and the crasher left: " + exits);
            assertEquals(4, killed(exits), "the author is fully privileged: every member but the offender: " + exits);
            assertEquals(4, s.interruptedMembers.get());
        }
    }

    @Test
    void aCoreKillInAnUnprivilegedAuthorsContractReachesItsMembers() throws Exception {
        // Members inherit the author's credential and can only lower it: they all share its identity.
        try (Scene s = new Scene()) {
            List<ContractEvent> exits = crashIn(s, () -> nonObserver("alice"), EventType.CORE,
                    () -> Credential.current().without(Privilege.values()), new IllegalStateException("crash"), null,
                    List.of(Credential::current, () -> Credential.current().without(Privilege.CONTRACT_EVENT)));
            assertEquals(4, exits.size(), exits.toString());
            assertEquals(3, killed(exits), exits.toString());
            // Nobody can take another identity in alice's contract.
            Actor a = actingAs(s, "alice-probe", () -> nonObserver("alice"));
            a.run(() -> denied(ContractError.EPERM, () -> Credential.current().as("bob")));
        }
    }

    @Test
    void anHwerrKillReachesEveryMember() throws Exception {
        try (Scene s = new Scene()) {
            List<ContractEvent> exits = crashIn(s, () -> nonObserver("alice"), EventType.HWERR,
                    () -> Credential.current().without(Privilege.values()), null, new InternalError("simulated"),
                    List.of(Credential::current, () -> Credential.current().without(Privilege.values())));
            assertEquals(4, exits.size(), exits.toString());
            assertEquals(3, killed(exits), exits.toString());
        }
        try (Scene s = new Scene()) {
            List<ContractEvent> exits = crashIn(s, Credential::current, EventType.HWERR,
                    () -> nonObserver("alice"), null, new InternalError("simulated"),
                    List.of(() -> nonObserver("bob"), () -> Credential.current().as("carol")));
            assertEquals(4, exits.size(), exits.toString());
            assertEquals(3, killed(exits), exits.toString());
        }
    }
}
