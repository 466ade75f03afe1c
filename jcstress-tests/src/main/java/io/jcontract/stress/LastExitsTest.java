package io.jcontract.stress;

import io.jcontract.ContractEvent;
import io.jcontract.ContractTemplate;
import io.jcontract.EventType;
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
 * Race 2, exit vs exit: the last two members of a contract end at once.
 * Exactly one EMPTY, after both EXITs.
 *
 * <p>r1: EXIT events, r2: EMPTY events, r3: 1 if the EMPTY is the last
 * event and comes after both EXITs.
 */
@JCStressTest
@Outcome(id = "2, 1, 1", expect = ACCEPTABLE, desc = "two EXITs, then one EMPTY")
@Outcome(id = "2, 0, .*", expect = FORBIDDEN, desc = "EMPTY lost")
@Outcome(id = "2, 2, .*", expect = FORBIDDEN, desc = "EMPTY doubled")
@Outcome(id = "2, 1, 0", expect = FORBIDDEN, desc = "EMPTY before an EXIT")
@Outcome(expect = FORBIDDEN, desc = "anything else")
@State
public class LastExitsTest {
    private static final ContractTemplate TERMS = ContractTemplate.process()
            .informative()
            .critical(EventType.EXIT, EventType.EMPTY);

    private final StressSupport.Setup setup =
            StressSupport.contractWithPendingTasks(TERMS, true, () -> { }, () -> { });

    @Actor
    public void first() {
        setup.tasks().get(0).run();
    }

    @Actor
    public void second() {
        setup.tasks().get(1).run();
    }

    @Arbiter
    public void arbiter(III_Result r) {
        // The first member's own EXIT came before the tasks started; skip it.
        List<ContractEvent> all = StressSupport.drain(setup.events());
        List<ContractEvent> tail = all.subList(1, all.size());
        int exits = 0, empties = 0, emptyAt = -1;
        for (int i = 0; i < tail.size(); i++) {
            if (tail.get(i).type() == EventType.EXIT) exits++;
            if (tail.get(i).type() == EventType.EMPTY) {
                empties++;
                emptyAt = i;
            }
        }
        r.r1 = exits;
        r.r2 = empties;
        r.r3 = empties == 1 && emptyAt == tail.size() - 1 && exits == 2 ? 1 : 0;
        setup.events().close();
        setup.contract().abandon();
    }
}
