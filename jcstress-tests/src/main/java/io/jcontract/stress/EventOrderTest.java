package io.jcontract.stress;

import io.jcontract.ContractEvent;
import io.jcontract.ContractTemplate;
import io.jcontract.Contracts;
import io.jcontract.EventListener;
import io.jcontract.EventType;
import io.jcontract.internal.ContractTable;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import java.util.ArrayList;
import java.util.List;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Race 7, event ordering: two members of one contract run at once, each
 * producing FORK then EXIT, and the last one EMPTY. The contract's queue,
 * the bundle and the holder's owner queue must show this contract's events
 * in one and the same order, with increasing ids; each member's FORK comes
 * before its EXIT; EMPTY comes last. All events are critical, so no queue
 * may drop them.
 *
 * <p>r1: 1 if the three queues agree. r2: 1 if per-producer order holds
 * (and ids increase, and EMPTY is last). r3: how the producers interleaved:
 * 0 first's events before second's, 1 the other way, 2 interleaved.
 */
@JCStressTest
@Outcome(id = {"1, 1, 0", "1, 1, 1"}, expect = ACCEPTABLE, desc = "one member after the other")
@Outcome(id = "1, 1, 2", expect = ACCEPTABLE_INTERESTING, desc = "interleaved, and every queue agrees")
@Outcome(id = "0, .*", expect = FORBIDDEN, desc = "the queues disagree on the order")
@Outcome(id = "1, 0, .*", expect = FORBIDDEN, desc = "a member's EXIT before its FORK, ids not increasing, or EMPTY not last")
@Outcome(expect = FORBIDDEN, desc = "anything else")
@State
public class EventOrderTest {
    private static final ContractTemplate TERMS = ContractTemplate.process()
            .informative()
            .critical(EventType.FORK, EventType.EXIT, EventType.EMPTY);

    private final long[] ids = new long[2];
    private final Puppets.Held held = Puppets.held(TERMS,
            () -> ids[0] = ContractTable.TABLE.current().id(),
            () -> ids[1] = ContractTable.TABLE.current().id());
    private final EventListener contractQueue = held.contract().events();
    private final EventListener bundle = Contracts.bundle();
    private final EventListener ownerQueue;
    private final long setUpEvents;

    public EventOrderTest() {
        EventListener[] l = new EventListener[1];
        Puppets.act(held.holder(), () -> l[0] = Contracts.ownerEvents());
        ownerQueue = l[0];
        long last = 0;
        for (ContractEvent e : StressSupport.drain(contractQueue)) last = e.id();
        setUpEvents = last;         // the first member's FORK and EXIT
    }

    @Actor
    public void first() {
        held.tasks().get(0).run();
    }

    @Actor
    public void second() {
        held.tasks().get(1).run();
    }

    private List<ContractEvent> ofThisRace(EventListener l) {
        List<ContractEvent> mine = new ArrayList<>();
        for (ContractEvent e : StressSupport.drain(l))
            if (e.contractId() == held.contract().id() && e.id() > setUpEvents) mine.add(e);
        return mine;
    }

    @Arbiter
    public void arbiter(III_Result r) {
        List<ContractEvent> q = ofThisRace(contractQueue), b = ofThisRace(bundle), o = ofThisRace(ownerQueue);
        r.r1 = q.equals(b) && q.equals(o) ? 1 : 0;
        boolean ok = q.size() == 5 && q.get(4).type() == EventType.EMPTY;
        int[] forkAt = {-1, -1}, exitAt = {-1, -1};
        for (int i = 0; i < q.size(); i++) {
            ContractEvent e = q.get(i);
            if (i > 0 && e.id() <= q.get(i - 1).id()) ok = false;
            int who = e.member() == ids[0] ? 0 : e.member() == ids[1] ? 1 : -1;
            if (e.type() == EventType.EMPTY) continue;
            if (who < 0) ok = false;
            else if (e.type() == EventType.FORK) forkAt[who] = i;
            else if (e.type() == EventType.EXIT) exitAt[who] = i;
        }
        for (int w = 0; w < 2; w++) if (forkAt[w] < 0 || exitAt[w] <= forkAt[w]) ok = false;
        r.r2 = ok ? 1 : 0;
        r.r3 = !ok ? -1 : exitAt[0] < forkAt[1] ? 0 : exitAt[1] < forkAt[0] ? 1 : 2;
        contractQueue.close();
        bundle.close();
        ownerQueue.close();
        held.release();
    }
}
