package io.jcontract;

import static io.jcontract.LifecycleTestKit.await;
import static io.jcontract.LifecycleTestKit.is;
import static io.jcontract.LifecycleTestKit.ofType;
import static io.jcontract.LifecycleTestKit.readUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jcontract.ContractEvent.Exit;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Member groups and PGRPONLY (SEMANTICS 1.6 "fatal event", Part 2 "process
 * group"): a group id inherited at fork, {@link Contracts#newMemberGroup()}
 * to start one, and a fatal event that kills only the offender's group and
 * never the offender.
 */
@Timeout(30)
class MemberGroupTest {

    @Test
    void newMemberGroupMakesTheCallerTheLeaderOfAGroupItsChildrenInherit() {
        try (Scene s = new Scene()) {
            Actor a = s.startActor("leader");
            assertEquals(a.id(), (long) a.call(Contracts::newMemberGroup));
            // Calling it again keeps the caller's own id as the group id.
            assertEquals(a.id(), (long) a.call(Contracts::newMemberGroup));
            Actor child = s.spawn(a, "child");
            assertEquals(child.id(), (long) child.call(Contracts::newMemberGroup));
        }
    }

    /** Names of the members of a three-group contract, and which group each is in. */
    private static final List<String> G1 = List.of("leader-1", "g1-member"), G2 = List.of("leader-2", "g2-member");

    /**
     * A contract (fatal CORE, plus {@code params}) whose first member "first"
     * starts two group leaders; each starts a member of its group; leader-1
     * also starts a crasher in its group. Everybody but the crasher parks.
     * After the crash, returns the EXIT status of each member that left,
     * by name, before the gate opens.
     */
    private static Map<String, Integer> crashInGroupOne(Scene s, boolean newGroups, Param... params) throws Exception {
        Map<String, Long> ids = new ConcurrentHashMap<>();
        CountDownLatch gate = s.gate(), fire = s.gate(), up = new CountDownLatch(5);
        Runnable parked = s.parked(gate, up);
        ContractTemplate t = LifecycleTestKit.verbose().fatal(EventType.CORE).params(params);
        Actor holder = s.startActor("holder");
        Contract c = s.createOn(holder, t, () -> {
            ids.put("first", Thread.currentThread().threadId());
            for (int g = 1; g <= 2; g++) {
                int group = g;
                s.start(() -> {
                    ids.put("leader-" + group, Thread.currentThread().threadId());
                    if (newGroups) Contracts.newMemberGroup();
                    s.start(() -> {
                        ids.put("g" + group + "-member", Thread.currentThread().threadId());
                        parked.run();
                    });
                    if (group == 1)
                        s.start(() -> {
                            ids.put("crasher", Thread.currentThread().threadId());
                            TestSupport.park(fire);
                            throw new IllegalStateException("crash in group 1");
                        });
                    parked.run();
                });
            }
            parked.run();
        }).contract();
        EventListener events = s.listener(c.events());
        await(up);
        fire.countDown();
        // The kill marks its victims before the crasher's EXIT is published. Read up to that EXIT; then
        // every member not still in the contract unkilled has left or will leave: read its EXIT too.
        Map<String, Integer> gone = new HashMap<>();
        List<ContractEvent> seen = readUntil(events, c.id(), e -> e.type() == EventType.EXIT
                && e.member() == ids.get("crasher"));
        // Only now is every id known: the crasher records its own before it parks, and it is not counted in up.
        Map<Long, String> names = new HashMap<>();
        ids.forEach((k, v) -> names.put(v, k));
        for (ContractEvent e : ofType(seen, EventType.EXIT)) gone.put(names.get(e.member()), ((Exit) e).status());
        Set<Long> untouched = c.status(StatusDetail.ALL).members().stream().filter(m -> !m.killed())
                .map(MemberInfo::id).collect(Collectors.toSet());
        Set<String> leaving = new java.util.HashSet<>(ids.keySet());
        leaving.removeIf(n -> untouched.contains(ids.get(n)) || gone.containsKey(n));
        while (!leaving.isEmpty()) {
            ContractEvent e = LifecycleTestKit.first(events, c.id(), is(EventType.EXIT));
            gone.put(names.get(e.member()), ((Exit) e).status());
            leaving.remove(names.get(e.member()));
        }
        ContractStatus st = c.status(StatusDetail.ALL);
        assertTrue(st.members().stream().noneMatch(MemberInfo::killed), st.toString());
        Set<String> alive = st.members().stream().map(m -> names.get(m.id())).collect(Collectors.toSet());
        assertTrue(alive.stream().noneMatch(gone::containsKey), "alive " + alive + ", gone " + gone);
        return gone;
    }

    @Test
    void withPgrponlyACrashKillsOnlyTheOtherMembersOfTheOffendersGroup() throws Exception {
        try (Scene s = new Scene()) {
            Map<String, Integer> outcome = crashInGroupOne(s, true, Param.PGRPONLY);
            assertEquals(Exit.STATUS_FAILED, outcome.get("crasher"), "the offender is never killed: " + outcome);
            for (String n : G1) assertEquals(Exit.STATUS_KILLED, outcome.get(n), n + " in the offender's group: " + outcome);
            for (String n : List.of("first", "leader-2", "g2-member"))
                assertEquals(null, outcome.get(n), n + " keeps running: " + outcome);
            assertEquals(2, s.interruptedMembers.get(), "only group 1 was interrupted");
        }
    }

    @Test
    void withPgrponlyAndNoNewGroupsEveryMemberIsInTheFirstMembersGroup() throws Exception {
        try (Scene s = new Scene()) {
            Map<String, Integer> outcome = crashInGroupOne(s, false, Param.PGRPONLY);
            assertEquals(Exit.STATUS_FAILED, outcome.get("crasher"), outcome.toString());
            for (String n : List.of("first", "leader-1", "g1-member", "leader-2", "g2-member"))
                assertEquals(Exit.STATUS_KILLED, outcome.get(n), n + ": " + outcome);
            assertEquals(5, s.interruptedMembers.get());
        }
    }

    @Test
    void withoutPgrponlyACrashKillsEveryGroup() throws Exception {
        try (Scene s = new Scene()) {
            Map<String, Integer> outcome = crashInGroupOne(s, true);
            assertEquals(Exit.STATUS_FAILED, outcome.get("crasher"), outcome.toString());
            for (String n : List.of("first", "leader-1", "g1-member", "leader-2", "g2-member"))
                assertEquals(Exit.STATUS_KILLED, outcome.get(n), n + ": " + outcome);
            assertEquals(5, s.interruptedMembers.get());
        }
    }

    @Test
    void theHoldersKillIgnoresGroups() throws Exception {
        try (Scene s = new Scene()) {
            CountDownLatch gate = s.gate(), up = new CountDownLatch(3);
            Runnable parked = s.parked(gate, up);
            Actor holder = s.startActor("holder");
            Contract c = s.createOn(holder, LifecycleTestKit.verbose().fatal(EventType.CORE).params(Param.PGRPONLY),
                    () -> {
                        s.start(() -> {
                            Contracts.newMemberGroup();
                            parked.run();
                        });
                        s.start(() -> {
                            Contracts.newMemberGroup();
                            parked.run();
                        });
                        parked.run();
                    }).contract();
            await(up);
            var report = c.kill().awaitEmpty(LifecycleTestKit.WAIT);
            assertTrue(report.empty(), report.toString());
            assertEquals(3, s.interruptedMembers.get());
        }
    }
}
