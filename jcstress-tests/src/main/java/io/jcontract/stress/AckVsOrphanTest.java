package io.jcontract.stress;

import io.jcontract.ContractEvent;
import io.jcontract.ContractPermissionException;
import io.jcontract.ContractState;
import io.jcontract.ContractStatus;
import io.jcontract.ContractTemplate;
import io.jcontract.EventListener;
import io.jcontract.EventType;
import io.jcontract.NoSuchEventException;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

import java.util.List;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Race 8, ack vs orphaning: the holder acknowledges a critical event while
 * (on another thread, through the same handle) it abandons the contract,
 * which still has a member and so becomes an orphan, and orphaning
 * acknowledges everything. Every critical event is acknowledged exactly
 * once: the ack succeeds only if it came first; if the abandon came first
 * the ack is refused (the handle no longer holds the contract, or the event
 * is already acknowledged). Nothing stays unacknowledged.
 *
 * <p>r1: the ack, 0 done, 1 "no such event", 2 "not held". r2: unacknowledged
 * critical events left. r3: critical events a fresh listener still offers.
 * r4: 1 if the contract is an orphan.
 */
@JCStressTest
@Outcome(id = "0, 0, 0, 1", expect = ACCEPTABLE, desc = "acked, then orphaned (which acked the rest)")
@Outcome(id = "2, 0, 0, 1", expect = ACCEPTABLE, desc = "orphaned first: the handle holds nothing")
@Outcome(id = "1, 0, 0, 1", expect = ACCEPTABLE_INTERESTING, desc = "orphaned between the ack's check and the ack: already acked")
@Outcome(id = ".*, [1-9], .*", expect = FORBIDDEN, desc = "a critical event of an orphan is unacknowledged")
@Outcome(id = ".*, .*, [1-9], .*", expect = FORBIDDEN, desc = "an acknowledged event is still offered as critical")
@Outcome(expect = FORBIDDEN, desc = "anything else")
@State
public class AckVsOrphanTest {
    private static final ContractTemplate TERMS = ContractTemplate.process()
            .informative()
            .critical(EventType.EXIT, EventType.EMPTY);

    private final Puppets.Held held = Puppets.held(TERMS, () -> { }, () -> { });
    private final long target;
    private int acked = -1;

    public AckVsOrphanTest() {
        held.tasks().get(0).run();      // EXIT of this task: critical, unacknowledged
        try (EventListener l = held.contract().events()) {
            List<ContractEvent> all = StressSupport.drain(l);
            target = all.get(all.size() - 1).id();
        }
    }

    @Actor
    public void ack() {
        try {
            held.contract().ack(target);
            acked = 0;
        } catch (NoSuchEventException e) {
            acked = 1;
        } catch (ContractPermissionException e) {
            acked = 2;
        }
    }

    @Actor
    public void abandon() {
        held.contract().abandon();
    }

    @Arbiter
    public void arbiter(IIII_Result r) {
        r.r1 = acked;
        ContractStatus s = held.contract().status();
        r.r2 = s.unackedCritical();
        try (EventListener l = held.contract().events()) {
            int offered = 0;
            while (l.pollCritical().isPresent()) offered++;
            r.r3 = offered;
        }
        r.r4 = s.state() == ContractState.ORPHAN ? 1 : 0;
        held.tasks().get(1).run();      // the orphan's last member: it dies
        held.release();
    }
}
