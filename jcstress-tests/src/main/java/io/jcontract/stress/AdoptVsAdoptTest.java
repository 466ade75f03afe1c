package io.jcontract.stress;

import io.jcontract.Contract;
import io.jcontract.ContractState;
import io.jcontract.ContractTemplate;
import io.jcontract.Param;
import io.jcontract.StatusDetail;
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
 * Race 4, adopt vs adopt: two members of the regent adopt the same
 * inherited contract at once. Exactly one wins; the other gets "busy" while
 * the winner holds it. Each winner abandons at once (so that its own exit
 * cannot hand the contract back to the regent for a second, sequential
 * win), which lets a late loser find the contract gone instead.
 *
 * <p>r1, r2: each adopter's result, 0 won, 1 busy, 2 gone (the winner
 * already abandoned it), 3 denied. r3: 1 if the regent still lists the
 * contract as inherited afterwards. r4: 1 if the contract ended DEAD.
 */
@JCStressTest
@Outcome(id = {"0, 1, 0, 1", "1, 0, 0, 1"}, expect = ACCEPTABLE_INTERESTING, desc = "concurrent: one won, the other was busy")
@Outcome(id = {"0, 2, 0, 1", "2, 0, 0, 1"}, expect = ACCEPTABLE, desc = "one won and let go before the other tried")
@Outcome(id = "0, 0, .*", expect = FORBIDDEN, desc = "both adopters won")
@Outcome(id = ".*, .*, 1, .*", expect = FORBIDDEN, desc = "the regent still lists an adopted contract")
@Outcome(expect = FORBIDDEN, desc = "nobody won, a denial, or the contract did not die")
@State
public class AdoptVsAdoptTest {
    private static final ContractTemplate INHERIT = ContractTemplate.process().params(Param.INHERIT);

    private final Regents.Family f;
    private int first = -1, second = -1;

    public AdoptVsAdoptTest() {
        int[] id = new int[1];
        f = Regents.build(INHERIT, List.of(),
                () -> first = Regents.adopt(id[0], Contract::abandon),
                () -> second = Regents.adopt(id[0], Contract::abandon));
        id[0] = f.c().id();
        Puppets.exit(f.s());        // C passes to R
        if (f.c().state() != ContractState.INHERITED) throw new IllegalStateException("not inherited");
    }

    @Actor
    public void adopter1() {
        f.rTasks().get(0).run();
    }

    @Actor
    public void adopter2() {
        f.rTasks().get(1).run();
    }

    @Arbiter
    public void arbiter(IIII_Result r) {
        r.r1 = first;
        r.r2 = second;
        r.r3 = f.r().contract().status(StatusDetail.ALL).inherited().contains(f.c().id()) ? 1 : 0;
        r.r4 = f.c().state() == ContractState.DEAD ? 1 : 0;
        f.r().release();
    }
}
