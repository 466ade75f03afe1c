package io.jcontract;

import static io.jcontract.LifecycleTestKit.await;
import static io.jcontract.LifecycleTestKit.readUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jcontract.ContractEvent.Exit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The supervisor restart of issue 3 (SEMANTICS 1.5, 1.8 "the restarter
 * survives its own restart"): a supervisor inside a REGENT contract owns
 * three INHERIT service contracts with live members and unacknowledged
 * critical events, and dies; a new supervisor started in the regent adopts
 * all three, reads their unacknowledged critical events from its owner
 * queue, and no member was killed or lost.
 */
@Timeout(30)
class SupervisorRestartTest {
    private static final int SERVICES = 3;
    /** Members that stay up in each service (a crasher comes and goes besides them). */
    private static final int LIVE = 3;

    /** One service as the first supervisor built it. */
    private record Service(Contract handle, List<Thread> members, EventListener events,
                           List<Long> unackedIds, long crasher) {
        int id() {
            return handle.id();
        }
    }

    /** What the new supervisor did: the ids it found, what it adopted, the critical events it read. */
    private record Takeover(List<Integer> found, List<Contract> adopted, List<ContractEvent> critical) {
    }

    @Test
    void aNewSupervisorAdoptsEveryServiceOfTheOneThatDiedAndNothingIsLost() throws Exception {
        try (Scene s = new Scene()) {
            // R: the regent, held by the test thread; L: a long-lived member of R (like init starting startd).
            Scene.Held r = s.actorContract(ContractTemplate.process().params(Param.REGENT), "L");
            Actor sup1 = s.spawn(r.actor(), "supervisor-1");
            CountDownLatch gate = s.gate();

            // Supervisor 1 starts three services: FORK and CORE critical, nothing fatal.
            List<Service> services = new ArrayList<>();
            for (int i = 0; i < SERVICES; i++) services.add(startService(s, sup1, i, gate));
            for (Service svc : services) {
                ContractStatus st = svc.handle().status(StatusDetail.ALL);
                assertEquals(sup1.id(), st.ownerId());
                assertEquals(LIVE, st.members().size());
                assertEquals(LIVE + 2, st.unackedCritical(), "FORK x" + (LIVE + 1) + " and CORE unacknowledged");
            }

            // Supervisor 1 dies of an uncaught exception.
            sup1.die(new IllegalStateException("supervisor-1 crashed"));
            assertTrue(r.actor().thread().isAlive(), "the regent's other member lives on");
            Set<Integer> serviceIds = services.stream().map(Service::id).collect(Collectors.toSet());
            assertEquals(serviceIds, Set.copyOf(r.contract().status(StatusDetail.ALL).inherited()));
            for (Service svc : services) {
                ContractStatus st = svc.handle().status();
                assertEquals(ContractState.INHERITED, st.state());
                assertEquals(r.id(), st.regentId());
                assertEquals(0L, st.ownerId());
            }

            // Supervisor 2, a new member of R started by L, finds the services through its own
            // contract's status, adopts them and reads what is unacknowledged from its owner queue.
            Actor sup2 = s.spawn(r.actor(), "supervisor-2");
            Takeover t = sup2.call(() -> {
                List<Integer> found = Contracts.current().status(StatusDetail.ALL).inherited();
                List<Contract> adopted = new ArrayList<>();
                for (int id : found) adopted.add(Contracts.adopt(id));
                List<ContractEvent> critical = new ArrayList<>();
                try (EventListener owner = Contracts.ownerEvents()) {
                    for (Optional<ContractEvent> e = owner.pollCritical(); e.isPresent(); e = owner.pollCritical())
                        critical.add(e.get());
                }
                return new Takeover(found, adopted, critical);
            });
            t.adopted().forEach(s::contract);
            assertEquals(serviceIds, Set.copyOf(t.found()));
            assertEquals(List.of(), r.contract().status(StatusDetail.ALL).inherited(), "nothing left to adopt");

            Map<Integer, List<ContractEvent>> byContract = new HashMap<>();
            for (ContractEvent e : t.critical())
                byContract.computeIfAbsent(e.contractId(), k -> new ArrayList<>()).add(e);
            assertEquals(SERVICES * (LIVE + 2), t.critical().size(), "read: " + t.critical());
            for (Service svc : services) {
                List<ContractEvent> got = byContract.getOrDefault(svc.id(), List.of());
                assertEquals(svc.unackedIds(), got.stream().map(ContractEvent::id).toList(),
                        "the unacknowledged critical events of service " + svc.id() + ", in order, same ids");
                ContractEvent.Core core = assertInstanceOf(ContractEvent.Core.class, got.get(got.size() - 1));
                assertEquals(svc.crasher(), core.member());
                assertEquals("service " + svc.id() + " crashed", core.cause().getMessage());
            }

            // No member was killed or lost.
            for (Service svc : services) {
                ContractStatus st = svc.handle().status(StatusDetail.ALL);
                assertEquals(ContractState.OWNED, st.state());
                assertEquals(sup2.id(), st.ownerId());
                assertEquals(svc.members().stream().map(Thread::threadId).collect(Collectors.toSet()),
                        st.members().stream().map(MemberInfo::id).collect(Collectors.toSet()),
                        "service " + svc.id() + " still has all its members");
                assertTrue(st.members().stream().noneMatch(MemberInfo::killed));
                assertTrue(svc.members().stream().allMatch(Thread::isAlive));
                // Since the crasher's EXIT (read in startService), nothing at all happened in the service.
                List<ContractEvent> since = TestSupport.drainNow(svc.events(), svc.id());
                assertEquals(List.of(), since, "service " + svc.id() + " after the restart");
            }
            assertEquals(0, s.interruptedMembers.get(), "no member was interrupted");

            // The new supervisor acknowledges what it handled.
            Map<Integer, Contract> handles = new LinkedHashMap<>();
            for (Contract c : t.adopted()) handles.put(c.id(), c);
            sup2.run(() -> {
                for (ContractEvent e : t.critical()) handles.get(e.contractId()).ack(e);
            });
            for (Contract c : t.adopted()) assertEquals(0, c.status().unackedCritical());

            // Clean shutdown: the services' members end, supervisor 2 hears EMPTY and abandons each.
            EventListener sup2Queue = s.listener(sup2.call(Contracts::ownerEvents));
            gate.countDown();
            // The EMPTYs arrive in any order across services: collect them all before handling any.
            Map<Integer, ContractEvent> empties = new HashMap<>();
            while (empties.size() < t.adopted().size()) {
                ContractEvent e = sup2Queue.take(java.time.Duration.ofSeconds(5));
                if (e.type() == EventType.EMPTY) assertEquals(null, empties.put(e.contractId(), e), "one EMPTY each");
            }
            assertEquals(handles.keySet(), empties.keySet());
            for (Contract c : t.adopted()) {
                ContractEvent empty = empties.get(c.id());
                sup2.run(() -> {
                    c.ack(empty);
                    c.abandon();
                });
                assertEquals(ContractState.DEAD, c.state());
            }
            assertEquals(0, s.interruptedMembers.get());
        }
    }

    /**
     * On {@code sup}: a service contract (INHERIT; FORK, CORE, EMPTY critical;
     * nothing fatal) whose first member starts two more members and a crasher
     * that dies of an exception; the {@link #LIVE} members park on {@code gate}.
     */
    private static Service startService(Scene s, Actor sup, int n, CountDownLatch gate) throws Exception {
        ContractTemplate t = ContractTemplate.process().params(Param.INHERIT)
                .fatal().critical(EventType.EMPTY, EventType.FORK, EventType.CORE).informative(EventType.EXIT)
                .creatorAux("service-" + n);
        List<Thread> members = new CopyOnWriteArrayList<>();
        CountDownLatch go = s.gate(), up = new CountDownLatch(LIVE), crashed = new CountDownLatch(1);
        long[] crasher = new long[1];
        int[] id = new int[1];
        TestSupport.Created c = s.createOn(sup, t, () -> {
            members.add(Thread.currentThread());
            TestSupport.park(go);
            for (int k = 1; k < LIVE; k++)
                s.start(() -> {
                    members.add(Thread.currentThread());
                    s.parked(gate, up).run();
                });
            Thread bad = s.start(() -> {
                throw new IllegalStateException("service " + Contracts.current().id() + " crashed");
            });
            crasher[0] = bad.threadId();
            TestSupport.joinQuietly(bad);
            crashed.countDown();
            s.parked(gate, up).run();
        });
        EventListener events = s.listener(c.contract().events());
        go.countDown();
        await(up);
        await(crashed);
        // Read what happened so far: FORK x4, CORE, EXIT(crasher). Everything critical stays unacknowledged.
        List<ContractEvent> seen = readUntil(events, c.id(), e -> e.type() == EventType.EXIT);
        List<Long> unacked = seen.stream().filter(ContractEvent::critical).map(ContractEvent::id).toList();
        assertEquals(List.of(EventType.FORK, EventType.FORK, EventType.FORK, EventType.FORK, EventType.CORE,
                EventType.EXIT), seen.stream().map(ContractEvent::type).toList(), "service " + c.id() + ": " + seen);
        assertEquals(Exit.STATUS_FAILED, ((Exit) seen.getLast()).status(), "the crasher died of its exception");
        assertEquals(crasher[0], seen.getLast().member());
        return new Service(c.contract(), List.copyOf(members), events, unacked, crasher[0]);
    }
}
