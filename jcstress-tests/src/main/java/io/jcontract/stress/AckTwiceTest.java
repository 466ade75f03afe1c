package io.jcontract.stress;

import io.jcontract.ContractEvent;
import io.jcontract.ContractTemplate;
import io.jcontract.EventListener;
import io.jcontract.EventType;
import io.jcontract.NoSuchEventException;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import java.util.List;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Race 8, second half: two threads acting for the holder acknowledge the
 * same critical event at once. Ack is per event, so exactly one succeeds
 * and the other is told "no such event".
 *
 * <p>r1, r2: each ack, 0 done, 1 "no such event". r3: unacknowledged
 * critical events left.
 */
@JCStressTest
@Outcome(id = {"0, 1, 0", "1, 0, 0"}, expect = ACCEPTABLE, desc = "acknowledged exactly once")
@Outcome(id = "0, 0, .*", expect = FORBIDDEN, desc = "acknowledged twice")
@Outcome(id = "1, 1, .*", expect = FORBIDDEN, desc = "never acknowledged")
@Outcome(expect = FORBIDDEN, desc = "anything else")
@State
public class AckTwiceTest {
    private static final ContractTemplate TERMS = ContractTemplate.process()
            .informative()
            .critical(EventType.EXIT);

    private final Puppets.Held held = Puppets.held(TERMS, () -> { });
    private final long[] ids;

    public AckTwiceTest() {
        held.tasks().get(0).run();
        try (EventListener l = held.contract().events()) {
            List<ContractEvent> all = StressSupport.drain(l);
            ids = all.stream().mapToLong(ContractEvent::id).toArray();
        }
        for (int i = 0; i < ids.length - 1; i++) held.contract().ack(ids[i]);
    }

    private int ack() {
        try {
            held.contract().ack(ids[ids.length - 1]);
            return 0;
        } catch (NoSuchEventException e) {
            return 1;
        }
    }

    private int a1 = -1, a2 = -1;

    @Actor
    public void first() {
        a1 = ack();
    }

    @Actor
    public void second() {
        a2 = ack();
    }

    @Arbiter
    public void arbiter(III_Result r) {
        r.r1 = a1;
        r.r2 = a2;
        r.r3 = held.contract().status().unackedCritical();
        held.release();
    }
}
