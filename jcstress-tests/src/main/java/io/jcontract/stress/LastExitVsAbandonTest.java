package io.jcontract.stress;

import io.jcontract.ContractEvent;
import io.jcontract.ContractState;
import io.jcontract.ContractStatus;
import io.jcontract.ContractTemplate;
import io.jcontract.Contracts;
import io.jcontract.EventListener;
import io.jcontract.EventType;
import io.jcontract.QueueGoneException;
import io.jcontract.StatusDetail;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Race 3, exit of the last member vs abandon: the holder gives the contract
 * up while its last member ends. Either the contract empties while OWNED
 * (EMPTY is critical and unacknowledged) and the abandon destroys it, or the
 * abandon orphans it (acknowledging everything) and the exit destroys it.
 * Both ways it ends DEAD, out of the table, with one EMPTY after the EXIT,
 * nothing unacknowledged, and its queue gone once read.
 *
 * <p>r1: 1 if the contract is DEAD and no longer in the table. r2: EMPTY
 * events (after one EXIT). r3: unacknowledged critical events left.
 * r4: how the race went: 0 the contract was still held when it emptied (the
 * EMPTY went to the holder's queue), 1 it was already an orphan.
 */
@JCStressTest
@Outcome(id = "1, 1, 0, 0", expect = ACCEPTABLE, desc = "emptied while held, then abandoned: DEAD once")
@Outcome(id = "1, 1, 0, 1", expect = ACCEPTABLE_INTERESTING, desc = "orphaned first, the last exit destroyed it")
@Outcome(id = "0, .*", expect = FORBIDDEN, desc = "not DEAD, or DEAD but still in the table")
@Outcome(id = "1, 0, .*", expect = FORBIDDEN, desc = "EMPTY lost")
@Outcome(id = "1, [2-9], .*", expect = FORBIDDEN, desc = "EMPTY doubled")
@Outcome(id = "1, 1, [1-9], .*", expect = FORBIDDEN, desc = "a critical event of a dead contract is unacknowledged")
@Outcome(expect = FORBIDDEN, desc = "anything else (EMPTY before the EXIT, events after EMPTY, queue not gone)")
@State
public class LastExitVsAbandonTest {
    private static final ContractTemplate TERMS = ContractTemplate.process()
            .informative(EventType.EXIT)
            .critical(EventType.EMPTY);

    private final Puppets.Held held = Puppets.held(TERMS, () -> { });
    private final EventListener events = held.contract().events();
    private final EventListener holderQueue = ownerQueue(held);

    private static EventListener ownerQueue(Puppets.Held h) {
        EventListener[] l = new EventListener[1];
        Puppets.act(h.holder(), () -> l[0] = Contracts.ownerEvents());
        return l[0];
    }

    @Actor
    public void lastMember() {
        held.tasks().get(0).run();
    }

    @Actor
    public void holder() {
        held.contract().abandon();
    }

    @Arbiter
    public void arbiter(IIII_Result r) {
        ContractStatus s = held.contract().status(StatusDetail.ALL);
        boolean inTable = Contracts.ids().contains(held.contract().id());
        r.r1 = s.state() == ContractState.DEAD && !inTable ? 1 : 0;
        r.r3 = s.unackedCritical();
        // The first member's EXIT (informative) was published before the listener existed: dropped.
        int exits = 0, empties = 0, shape = 0;
        try {
            for (var e = events.poll(); e.isPresent(); e = events.poll()) {
                EventType t = e.get().type();
                if (t == EventType.EXIT) {
                    if (empties > 0) shape = -1;
                    exits++;
                } else if (t == EventType.EMPTY) {
                    empties++;
                    if (exits != 1) shape = -1;
                } else {
                    shape = -1;
                }
            }
            events.poll();
            shape = -1;             // a read past the end of a dead queue must say it is gone
        } catch (QueueGoneException expected) {
            // as it must
        }
        r.r2 = shape < 0 ? -1 : empties;
        boolean heldWhenEmptied = false;
        for (ContractEvent e : StressSupport.drain(holderQueue))
            if (e.contractId() == held.contract().id() && e.type() == EventType.EMPTY) heldWhenEmptied = true;
        r.r4 = heldWhenEmptied ? 0 : 1;
        events.close();
        holderQueue.close();
        held.release();
    }
}
