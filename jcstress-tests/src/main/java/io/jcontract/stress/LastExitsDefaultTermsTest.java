package io.jcontract.stress;

import io.jcontract.ContractEvent;
import io.jcontract.ContractTemplate;
import io.jcontract.EventType;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import java.util.List;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Race 2 with the default terms (no FORK or EXIT events: the path issue 14
 * makes lock-free and queue-free): the last two members of a contract end
 * at once. Exactly one EMPTY, and nothing else.
 *
 * <p>r1: EMPTY events, r2: all events.
 */
@JCStressTest
@Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "one EMPTY, nothing else")
@Outcome(id = "0, .*", expect = FORBIDDEN, desc = "EMPTY lost")
@Outcome(id = "2, .*", expect = FORBIDDEN, desc = "EMPTY doubled")
@Outcome(expect = FORBIDDEN, desc = "anything else")
@State
public class LastExitsDefaultTermsTest {
    private final StressSupport.Setup setup =
            StressSupport.contractWithPendingTasks(ContractTemplate.process(), true, () -> { }, () -> { });

    @Actor
    public void first() {
        setup.tasks().get(0).run();
    }

    @Actor
    public void second() {
        setup.tasks().get(1).run();
    }

    @Arbiter
    public void arbiter(II_Result r) {
        List<ContractEvent> all = StressSupport.drain(setup.events());
        int empties = 0;
        for (ContractEvent e : all) if (e.type() == EventType.EMPTY) empties++;
        r.r1 = empties;
        r.r2 = all.size();
        setup.events().close();
        setup.contract().abandon();
    }
}
