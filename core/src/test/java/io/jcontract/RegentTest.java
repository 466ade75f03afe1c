package io.jcontract;

import static io.jcontract.LifecycleTestKit.await;
import static io.jcontract.LifecycleTestKit.is;
import static io.jcontract.LifecycleTestKit.ofType;
import static io.jcontract.LifecycleTestKit.readUntil;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.jcontract.ContractEvent.Exit;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Contracts that outlive their owners (SEMANTICS 1.4, 1.5, 1.3 transfer):
 * INHERIT and REGENT, adoption and its denials, concurrent adopters, regent
 * destruction, and the transfer term.
 *
 * <p>Shape of every test: the test thread holds a REGENT contract R whose
 * first member is a long-lived actor L; a "supervisor" actor started by L is
 * another member of R and creates the INHERIT service contracts; when it
 * ends they pass to R.
 */
@Timeout(60)
class RegentTest {

    private static ContractTemplate regentTerms() {
        return ContractTemplate.process().params(Param.REGENT);
    }

    /**
     * A contract created on {@code holder}'s thread from {@code t} with
     * {@code members} members parked on {@code gate}; returns once all are up.
     */
    private static TestSupport.Created service(Scene s, Actor holder, ContractTemplate t, CountDownLatch gate,
                                               int members) {
        CountDownLatch up = new CountDownLatch(members);
        TestSupport.Created c = s.createOn(holder, t, () -> {
            for (int i = 1; i < members; i++) s.start(s.parked(gate, up));
            s.parked(gate, up).run();
        });
        await(up);
        return c;
    }

    /** A contract created on {@code holder}'s thread whose only member has already ended. */
    private static Contract emptyContract(Scene s, Actor holder, ContractTemplate t) {
        TestSupport.Created c = s.createOn(holder, t, () -> { });
        TestSupport.join(c.member());
        return c.contract();
    }

    private static Set<Long> memberIds(ContractView c) {
        return c.status(StatusDetail.ALL).members().stream().map(MemberInfo::id).collect(Collectors.toSet());
    }

    // ------------------------------------------------------------------ inherit

    @Test
    void anInheritContractPassesToTheRegentWhenItsOwnerExits() {
        try (Scene s = new Scene()) {
            Scene.Held r = s.actorContract(regentTerms(), "L");
            Actor sup = s.spawn(r.actor(), "supervisor");
            CountDownLatch gate = s.gate();
            TestSupport.Created svc = service(s, sup, ContractTemplate.process().params(Param.INHERIT), gate, 2);
            Contract held = svc.contract();
            Set<Long> members = memberIds(held);
            assertEquals(2, members.size());
            ContractStatus before = held.status(StatusDetail.ALL);
            assertEquals(ContractState.OWNED, before.state());
            assertEquals(sup.id(), before.ownerId());
            assertEquals(0, before.regentId());

            sup.stop();

            ContractStatus st = Contracts.lookup(held.id()).status(StatusDetail.ALL);
            assertAll(
                    () -> assertEquals(ContractState.INHERITED, st.state()),
                    () -> assertEquals(0L, st.ownerId(), "an inherited contract has no owner"),
                    () -> assertEquals(r.id(), st.regentId(), "the holder is the regent"),
                    () -> assertEquals(members, memberIds(held), "the members are untouched"),
                    () -> assertEquals(List.of(held.id()), r.contract().status(StatusDetail.ALL).inherited()),
                    () -> assertEquals(0, s.interruptedMembers.get()));
            // The old holder's handle controls nothing any more.
            ContractPermissionException e = assertThrows(ContractPermissionException.class, held::abandon);
            assertEquals(ContractError.EACCES, e.error());
            assertEquals(ContractError.EACCES, assertThrows(ContractPermissionException.class, held::kill).error());
            assertEquals(ContractState.INHERITED, held.state());
        }
    }

    /** The owner of a contract with live members exits; returns the contract's final view after its members went. */
    private void ownerExitAbandons(boolean ownerInRegent, boolean noorphan, Param... childParams) throws Exception {
        try (Scene s = new Scene()) {
            Scene.Held r = s.actorContract(ownerInRegent ? regentTerms() : ContractTemplate.process(), "L");
            Actor sup = s.spawn(r.actor(), "supervisor");
            CountDownLatch gate = s.gate();
            TestSupport.Created svc = service(s, sup, LifecycleTestKit.verbose().params(childParams), gate, 2);
            Contract c = svc.contract();
            EventListener events = s.listener(c.events());

            sup.stop();

            List<Integer> inherited = r.contract().status(StatusDetail.ALL).inherited();
            assertEquals(List.of(), inherited, "nothing inherited");
            if (!noorphan) {
                ContractStatus st = c.status(StatusDetail.ALL);
                assertEquals(ContractState.ORPHAN, st.state());
                assertEquals(0L, st.ownerId());
                assertEquals(0, st.regentId());
                assertEquals(2, st.members().size(), "an orphan keeps its members");
                assertTrue(st.members().stream().noneMatch(MemberInfo::killed));
                gate.countDown();
                List<ContractEvent> rest = readUntil(events, c.id(), is(EventType.EMPTY));
                assertTrue(ofType(rest, EventType.EXIT).stream()
                        .allMatch(x -> ((Exit) x).status() == Exit.STATUS_OK), "members ended normally: " + rest);
                assertEquals(0, s.interruptedMembers.get());
            } else {
                List<ContractEvent> rest = readUntil(events, c.id(), is(EventType.EMPTY));
                List<ContractEvent> exits = ofType(rest, EventType.EXIT);
                assertEquals(2, exits.size(), "two members left: " + rest);
                assertTrue(exits.stream().allMatch(x -> ((Exit) x).status() == Exit.STATUS_KILLED),
                        "NOORPHAN killed them: " + rest);
                assertEquals(2, s.interruptedMembers.get());
            }
            assertEquals(ContractState.DEAD, c.state(), "an orphan dies with its last member");
        }
    }

    @Test
    void withoutInheritTheOwnersExitAbandonsTheContract() throws Exception {
        ownerExitAbandons(true, false);
    }

    @Test
    void withInheritButNoRegentTheOwnersExitAbandonsTheContract() throws Exception {
        ownerExitAbandons(false, false, Param.INHERIT);
    }

    @Test
    void withoutInheritAndWithNoorphanTheOwnersExitKillsTheMembers() throws Exception {
        ownerExitAbandons(true, true, Param.NOORPHAN);
    }

    @Test
    void withInheritNoorphanButNoRegentTheOwnersExitKillsTheMembers() throws Exception {
        ownerExitAbandons(false, true, Param.INHERIT, Param.NOORPHAN);
    }

    // ------------------------------------------------------------------ adopt: denials

    @Test
    void adoptingAnOrphanIsInvalid() {
        try (Scene s = new Scene()) {
            Scene.Held r = s.actorContract(regentTerms(), "L");
            Actor sup = s.spawn(r.actor(), "supervisor");
            CountDownLatch gate = s.gate();
            Contract c = service(s, sup, ContractTemplate.process(), gate, 1).contract();
            sup.stop();
            assertEquals(ContractState.ORPHAN, c.state());
            InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
                    () -> r.actor().call(() -> Contracts.adopt(c.id())));
            assertEquals(ContractError.EINVAL, e.error());
            assertThrows(InvalidArgumentException.class, () -> Contracts.adopt(c.id()));
            assertEquals(ContractState.ORPHAN, c.state());
        }
    }

    @Test
    void adoptingAnOwnedContractIsBusy() {
        try (Scene s = new Scene()) {
            Scene.Held r = s.actorContract(regentTerms(), "L");
            Actor sup = s.spawn(r.actor(), "supervisor");
            CountDownLatch gate = s.gate();
            Contract c = service(s, sup, ContractTemplate.process().params(Param.INHERIT), gate, 1).contract();
            // Owned by the supervisor, a member of the regent: a fellow member may not take it.
            ContractBusyException e = assertThrows(ContractBusyException.class,
                    () -> r.actor().call(() -> Contracts.adopt(c.id())));
            assertEquals(ContractError.EBUSY, e.error());
            // Nor may its own holder, nor the test thread, adopt what is held.
            assertThrows(ContractBusyException.class, () -> sup.call(() -> Contracts.adopt(c.id())));
            assertThrows(ContractBusyException.class, () -> Contracts.adopt(r.id()));
            ContractStatus st = c.status();
            assertEquals(ContractState.OWNED, st.state());
            assertEquals(sup.id(), st.ownerId());
        }
    }

    @Test
    void adoptingAnUnknownOrDeadContractIsNoSuchContract() {
        try (Scene s = new Scene()) {
            Scene.Held r = s.actorContract(regentTerms(), "L");
            Contract dead = emptyContract(s, r.actor(), ContractTemplate.process());
            dead.abandon();
            assertEquals(ContractState.DEAD, dead.state());
            NoSuchContractException e = assertThrows(NoSuchContractException.class,
                    () -> r.actor().call(() -> Contracts.adopt(dead.id())));
            assertEquals(ContractError.ESRCH, e.error());
            assertThrows(NoSuchContractException.class, () -> Contracts.adopt(Integer.MAX_VALUE));
        }
    }

    @Test
    void onlyAMemberOfTheRegentMayAdopt() {
        try (Scene s = new Scene()) {
            Scene.Held r = s.actorContract(regentTerms(), "L");
            Scene.Held other = s.actorContract(regentTerms(), "other-regent-member");
            Actor inRoot = s.startActor("root-member");
            Actor sup = s.spawn(r.actor(), "supervisor");
            CountDownLatch gate = s.gate();
            Contract c = service(s, sup, ContractTemplate.process().params(Param.INHERIT), gate, 1).contract();
            sup.stop();
            assertEquals(ContractState.INHERITED, c.state());

            // The regent's holder is not a member of it.
            ContractPermissionException byHolder = assertThrows(ContractPermissionException.class,
                    () -> Contracts.adopt(c.id()));
            assertEquals(ContractError.EACCES, byHolder.error());
            // A member of another regent.
            ContractPermissionException byOther = assertThrows(ContractPermissionException.class,
                    () -> other.actor().call(() -> Contracts.adopt(c.id())));
            assertEquals(ContractError.EACCES, byOther.error());
            // A thread of the root contract.
            ContractPermissionException byRoot = assertThrows(ContractPermissionException.class,
                    () -> inRoot.call(() -> Contracts.adopt(c.id())));
            assertEquals(ContractError.EACCES, byRoot.error());
            // A member of a contract the regent's member created (a grandchild) is not a member of the regent.
            Actor grandchild = s.actorContractOn(r.actor(), ContractTemplate.process(), "grandchild").actor();
            assertEquals(ContractError.EACCES, assertThrows(ContractPermissionException.class,
                    () -> grandchild.call(() -> Contracts.adopt(c.id()))).error());

            ContractStatus st = c.status();
            assertEquals(ContractState.INHERITED, st.state(), "denied adoptions change nothing");
            assertEquals(r.id(), st.regentId());
            assertEquals(List.of(c.id()), r.contract().status(StatusDetail.ALL).inherited());

            Contract adopted = s.contract(r.actor().call(() -> Contracts.adopt(c.id())));
            assertEquals(ContractState.OWNED, adopted.state());
            assertEquals(r.actor().id(), adopted.status().ownerId());
        }
    }

    // ------------------------------------------------------------------ adopt: effect

    @Test
    void adoptionMakesTheAdopterTheHolderAndCopiesTheUnacknowledgedCriticalEvents() throws Exception {
        try (Scene s = new Scene()) {
            Scene.Held r = s.actorContract(regentTerms(), "L");
            Actor sup = s.spawn(r.actor(), "supervisor");
            CountDownLatch gate = s.gate(), go = s.gate(), up = new CountDownLatch(2);
            ContractTemplate t = ContractTemplate.process().params(Param.INHERIT)
                    .critical(EventType.EMPTY, EventType.HWERR, EventType.FORK).informative(EventType.EXIT);
            // First member: once the test listens, starts a parked sibling and a short-lived one, then parks.
            TestSupport.Created svc = s.createOn(sup, t, () -> {
                TestSupport.park(go);
                s.start(s.parked(gate, up));
                TestSupport.joinQuietly(s.start(() -> { }));
                s.parked(gate, up).run();
            });
            Contract c = svc.contract();
            EventListener mine = s.listener(c.events());
            go.countDown();
            await(up);
            List<ContractEvent> forks = new ArrayList<>();
            for (int i = 0; i < 3; i++) forks.add(LifecycleTestKit.first(mine, c.id(), is(EventType.FORK)));
            ContractEvent exit = LifecycleTestKit.first(mine, c.id(), is(EventType.EXIT));
            assertTrue(exit.informative());
            assertTrue(forks.stream().allMatch(ContractEvent::critical));
            c.ack(forks.get(0));                       // the holder acknowledges one of the three
            assertEquals(2, c.status().unackedCritical());

            sup.stop();
            assertEquals(ContractState.INHERITED, c.state());
            assertEquals(2, c.status().unackedCritical(), "inheritance keeps the unacknowledged events");

            Actor adopter = s.spawn(r.actor(), "adopter");
            Contract adopted = s.contract(adopter.call(() -> Contracts.adopt(c.id())));
            ContractStatus st = adopted.status(StatusDetail.ALL);
            assertAll(
                    () -> assertEquals(ContractState.OWNED, st.state()),
                    () -> assertEquals(adopter.id(), st.ownerId()),
                    () -> assertEquals(0, st.regentId()),
                    () -> assertEquals(2, st.members().size()),
                    () -> assertEquals(List.of(), r.contract().status(StatusDetail.ALL).inherited()),
                    () -> assertEquals(2, st.unackedCritical()));

            // The adopter's owner queue, opened after adopting, holds copies of exactly the unacked critical events.
            EventListener owner = s.listener(adopter.call(Contracts::ownerEvents));
            List<ContractEvent> copied = new ArrayList<>();
            for (Optional<ContractEvent> e = owner.poll(); e.isPresent(); e = owner.poll()) copied.add(e.get());
            assertEquals(List.of(forks.get(1).id(), forks.get(2).id()),
                    copied.stream().map(ContractEvent::id).toList(), "copied: " + copied);
            assertTrue(copied.stream().allMatch(e -> e.contractId() == c.id() && e.critical()));
            assertEquals(forks.get(1), copied.get(0), "the same event, not a new one");

            // The adopter controls it; the old holder's handle does not.
            assertEquals(ContractError.EACCES,
                    assertThrows(ContractPermissionException.class, () -> c.ack(forks.get(1))).error());
            adopter.run(() -> adopted.ack(forks.get(1)));
            assertEquals(1, adopted.status().unackedCritical());

            // Events from now on reach the adopter's owner queue.
            gate.countDown();
            List<ContractEvent> after = readUntil(owner, c.id(), is(EventType.EMPTY));
            assertEquals(2, ofType(after, EventType.EXIT).size(), "after adoption: " + after);
            assertEquals(0, s.interruptedMembers.get());
        }
    }

    @Test
    void ofTwoConcurrentAdoptersExactlyOneWinsAndTheOtherIsBusy() throws Exception {
        try (Scene s = new Scene()) {
            Scene.Held r = s.actorContract(regentTerms(), "L");
            Actor a1 = s.spawn(r.actor(), "adopter-1"), a2 = s.spawn(r.actor(), "adopter-2");
            int firstWins = 0;
            for (int i = 0; i < 200; i++) {
                // A short-lived supervisor in R creates an INHERIT contract (member already gone) and ends.
                int id = s.id(r.actor().call(() -> {
                    int[] cid = new int[1];
                    Thread sup = ContractThreads.startVirtual(() -> {
                        try (var active = ContractTemplate.process().params(Param.INHERIT).activate()) {
                            Thread m = ContractThreads.startVirtual(() -> { });
                            cid[0] = Contracts.latest().id();
                            m.join();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    });
                    sup.join();
                    return cid[0];
                }));
                ContractView v = Contracts.lookup(id);
                assertEquals(ContractState.INHERITED, v.state(), "iteration " + i);

                CyclicBarrier start = new CyclicBarrier(2);
                CompletableFuture<Contract> f1 = a1.submit(() -> {
                    start.await(5, TimeUnit.SECONDS);
                    return Contracts.adopt(id);
                });
                CompletableFuture<Contract> f2 = a2.submit(() -> {
                    start.await(5, TimeUnit.SECONDS);
                    return Contracts.adopt(id);
                });
                Object o1 = outcome(f1), o2 = outcome(f2);
                Contract winner;
                long winnerId;
                if (o1 instanceof Contract w) {
                    assertInstanceOf(ContractBusyException.class, o2, "iteration " + i + ": the loser");
                    winner = w;
                    winnerId = a1.id();
                    firstWins++;
                } else if (o2 instanceof Contract w) {
                    assertInstanceOf(ContractBusyException.class, o1, "iteration " + i + ": the loser");
                    winner = w;
                    winnerId = a2.id();
                } else {
                    winner = fail("iteration " + i + ": nobody adopted: " + o1 + ", " + o2);
                    winnerId = 0;
                }
                ContractStatus st = winner.status(StatusDetail.ALL);
                assertEquals(ContractState.OWNED, st.state());
                assertEquals(winnerId, st.ownerId());
                assertEquals(List.of(), r.contract().status(StatusDetail.ALL).inherited());
                winner.abandon();
                assertEquals(ContractState.DEAD, v.state());
            }
            // Not an assertion on fairness, just evidence that both sides raced.
            System.out.println("concurrent adoption: adopter-1 won " + firstWins + " of 200");
        }
    }

    private static Object outcome(CompletableFuture<?> f) throws InterruptedException {
        try {
            return f.get(LifecycleTestKit.WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            throw new AssertionError("an adopter did not finish within " + LifecycleTestKit.WAIT, e);
        }
    }

    // ------------------------------------------------------------------ regent destroyed

    @Test
    void aDestroyedRegentAbandonsEachInheritedContract() throws Exception {
        try (Scene s = new Scene()) {
            Scene.Held r = s.actorContract(regentTerms(), "L");
            Actor sup = s.spawn(r.actor(), "supervisor");
            CountDownLatch gate = s.gate();
            Contract busy = service(s, sup, LifecycleTestKit.verbose().params(Param.INHERIT), gate, 2).contract();
            Contract killing = service(s, sup,
                    LifecycleTestKit.verbose().params(Param.INHERIT, Param.NOORPHAN), gate, 1).contract();
            Contract empty = emptyContract(s, sup, ContractTemplate.process().params(Param.INHERIT));
            EventListener killingEvents = s.listener(killing.events());
            EventListener busyEvents = s.listener(busy.events());
            sup.stop();
            assertEquals(Set.of(busy.id(), killing.id(), empty.id()),
                    Set.copyOf(r.contract().status(StatusDetail.ALL).inherited()));

            r.actor().stop();                                  // every member of the regent ended
            assertEquals(0, r.contract().status(StatusDetail.ALL).members().size());
            r.contract().abandon();                            // its holder gives it up: it is destroyed

            assertEquals(ContractState.DEAD, r.contract().state());
            assertEquals(ContractState.DEAD, empty.state(), "an empty inherited contract dies");
            ContractStatus orphan = busy.status(StatusDetail.ALL);
            assertEquals(ContractState.ORPHAN, orphan.state(), "one with members is orphaned");
            assertEquals(0, orphan.regentId());
            assertEquals(2, orphan.members().size());
            assertTrue(orphan.members().stream().noneMatch(MemberInfo::killed));
            // NOORPHAN: killed first, then dead with its last member.
            List<ContractEvent> ev = readUntil(killingEvents, killing.id(), is(EventType.EMPTY));
            assertEquals(Exit.STATUS_KILLED, ((Exit) ofType(ev, EventType.EXIT).get(0)).status());
            assertEquals(ContractState.DEAD, killing.state());
            assertEquals(1, s.interruptedMembers.get(), "only the NOORPHAN contract's member was killed");

            gate.countDown();
            List<ContractEvent> rest = readUntil(busyEvents, busy.id(), is(EventType.EMPTY));
            assertTrue(ofType(rest, EventType.EXIT).stream().allMatch(x -> ((Exit) x).status() == Exit.STATUS_OK),
                    "the orphan's members ended on their own: " + rest);
            assertEquals(ContractState.DEAD, busy.state(), "the orphan dies with its last member");
        }
    }

    @Test
    void anOrphanedRegentAbandonsItsInheritedContractsWhenItsLastMemberLeaves() {
        try (Scene s = new Scene()) {
            Scene.Held r = s.actorContract(regentTerms(), "L");
            Actor sup = s.spawn(r.actor(), "supervisor");
            Contract empty = emptyContract(s, sup, ContractTemplate.process().params(Param.INHERIT));
            sup.stop();
            assertEquals(ContractState.INHERITED, empty.state());

            r.contract().abandon();                            // L is still a member: the regent is an orphan
            assertEquals(ContractState.ORPHAN, r.contract().state());
            assertEquals(ContractState.INHERITED, empty.state(), "an orphaned regent is not destroyed yet");
            assertEquals(r.id(), empty.status().regentId());

            r.actor().stop();                                  // its last member leaves: destroyed
            assertEquals(ContractState.DEAD, r.contract().state());
            assertEquals(ContractState.DEAD, empty.state());
        }
    }

    // ------------------------------------------------------------------ transfer

    @Test
    void transferMovesTheOldContractsInheritedContractsToTheNewOne() {
        try (Scene s = new Scene()) {
            Scene.Held p = s.actorContract(ContractTemplate.process(), "P");
            Scene.Held o = s.actorContractOn(p.actor(), regentTerms(), "O-supervisor");
            CountDownLatch gate = s.gate();
            ContractTemplate inherit = ContractTemplate.process().params(Param.INHERIT);
            Contract c1 = service(s, o.actor(), inherit, gate, 1).contract();
            Contract c2 = service(s, o.actor(), inherit, gate, 2).contract();
            o.actor().stop();                                  // O is empty and holds c1, c2
            assertEquals(Set.of(c1.id(), c2.id()), Set.copyOf(o.contract().status(StatusDetail.ALL).inherited()));
            assertEquals(ContractState.OWNED, o.contract().state());

            Scene.Held n = p.actor().call(() -> {
                try (var active = regentTerms().transfer(o.contract()).activate()) {
                    Actor first = Actor.start("N-supervisor");
                    return new Scene.Held(Contracts.latest(), first);
                }
            });
            s.actor(n.actor());
            s.contract(n.contract());

            assertEquals(ContractState.DEAD, o.contract().state(), "the old contract is abandoned");
            assertEquals(Set.of(c1.id(), c2.id()), Set.copyOf(n.contract().status(StatusDetail.ALL).inherited()));
            for (Contract c : List.of(c1, c2)) {
                ContractStatus st = c.status();
                assertEquals(ContractState.INHERITED, st.state());
                assertEquals(n.id(), st.regentId(), "contract " + c.id() + " now held by the new regent");
                assertEquals(0L, st.ownerId());
            }
            assertEquals(0, s.interruptedMembers.get());

            // A member of the new regent may adopt them.
            Contract adopted = s.contract(n.actor().call(() -> Contracts.adopt(c1.id())));
            assertEquals(n.actor().id(), adopted.status().ownerId());
            assertEquals(List.of(c2.id()), n.contract().status(StatusDetail.ALL).inherited());
        }
    }

    /** Issue 14, defect 11: a fork that fails after naming a transfer moves nothing and abandons nothing. */
    @Test
    void aForkThatFailsAfterATransferLeavesTheOldContractAndItsInheritedOnes() {
        try (Scene s = new Scene()) {
            Scene.Held p = s.actorContract(ContractTemplate.process(), "P");
            Scene.Held o = s.actorContractOn(p.actor(), regentTerms(), "O-supervisor");
            CountDownLatch gate = s.gate();
            ContractTemplate inherit = ContractTemplate.process().params(Param.INHERIT);
            Contract c1 = service(s, o.actor(), inherit, gate, 1).contract();
            o.actor().stop();
            assertEquals(List.of(c1.id()), o.contract().status(StatusDetail.ALL).inherited());

            java.util.concurrent.Executor rejecting = r -> {
                throw new java.util.concurrent.RejectedExecutionException("full");
            };
            Throwable thrown = p.actor().call(() -> {
                try (var active = regentTerms().transfer(o.contract()).activate()) {
                    ContractExecutors.wrap(rejecting).execute(() -> { });
                    return null;
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    return e;
                }
            });
            assertInstanceOf(java.util.concurrent.RejectedExecutionException.class, thrown);
            assertEquals(ContractState.OWNED, o.contract().state(), "the old contract is still held, as if the fork never was");
            assertEquals(p.actor().id(), o.contract().status().ownerId());
            assertEquals(List.of(c1.id()), o.contract().status(StatusDetail.ALL).inherited());
            ContractStatus st = c1.status();
            assertEquals(ContractState.INHERITED, st.state(), "the inherited contract was not destroyed");
            assertEquals(o.id(), st.regentId());
            assertEquals(0, s.interruptedMembers.get(), "nobody was killed");
        }
    }

    @Test
    void transferIsNeverAcrossHolders() {
        try (Scene s = new Scene()) {
            Scene.Held p = s.actorContract(ContractTemplate.process(), "P");
            Actor q = s.startActor("Q");
            Scene.Held o = s.actorContractOn(p.actor(), regentTerms(), "O-supervisor");
            CountDownLatch gate = s.gate();
            Contract c1 = service(s, o.actor(), ContractTemplate.process().params(Param.INHERIT), gate, 1).contract();
            o.actor().stop();
            assertEquals(List.of(c1.id()), o.contract().status(StatusDetail.ALL).inherited());

            // The rule is checked when the term is set: only O's holder may name it.
            ContractPermissionException byTest = assertThrows(ContractPermissionException.class,
                    () -> ContractTemplate.process().transfer(o.contract()));
            assertEquals(ContractError.EACCES, byTest.error());
            ContractPermissionException byQ = assertThrows(ContractPermissionException.class,
                    () -> q.call(() -> ContractTemplate.process().set(ContractTemplate.Term.TRANSFER, o.id())));
            assertEquals(ContractError.EACCES, byQ.error());

            // A term set by the holder but activated by another thread transfers nothing.
            ContractTemplate byHolder = p.actor().call(() -> regentTerms().transfer(o.contract()));
            Contract qs = s.contract(q.call(() -> {
                try (var active = byHolder.activate()) {
                    s.start(() -> { });
                    return Contracts.latest();
                }
            }));
            assertEquals(List.of(), qs.status(StatusDetail.ALL).inherited());
            assertEquals(ContractState.OWNED, o.contract().state(), "the old contract stays with its holder");
            assertEquals(p.actor().id(), o.contract().status().ownerId());
            assertEquals(List.of(c1.id()), o.contract().status(StatusDetail.ALL).inherited());
            assertEquals(o.id(), c1.status().regentId());
        }
    }
}
