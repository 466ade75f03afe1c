package io.jcontract.stress;

import io.jcontract.ContractStatus;
import io.jcontract.ContractTemplate;
import io.jcontract.Param;
import io.jcontract.StatusDetail;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import java.util.List;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Races 13 and 5 meet: the owner's exit hands C to the regent R while
 * another member of R adopts C. The adopter finds C still held (busy) or
 * inherited (it wins). Whatever happened, R's list of inherited contracts
 * must agree with C's state: it lists C exactly when C is INHERITED by R.
 *
 * <p>The winner abandons C at once (C is empty, so it dies): with INHERIT,
 * the winner's own exit would otherwise hand C back to R.
 *
 * <p>r1: the adoption (0 won, 1 busy, 2 gone, 3 denied). r2: C's state
 * ordinal after both (1 INHERITED, 3 DEAD). r3: how many times R lists C.
 */
@JCStressTest
@Outcome(id = "0, 3, 0", expect = ACCEPTABLE, desc = "inherited, then adopted (and abandoned)")
@Outcome(id = "1, 1, 1", expect = ACCEPTABLE_INTERESTING, desc = "adopt came first: busy; then C was inherited")
@Outcome(id = "0, 3, [1-9]", expect = FORBIDDEN, desc = "R still lists a contract it lost to the adopter")
@Outcome(id = "1, 1, [02-9]", expect = FORBIDDEN, desc = "C is inherited but R lists it not exactly once")
@Outcome(expect = FORBIDDEN, desc = "anything else")
@State
public class InheritVsAdoptTest {
    private static final ContractTemplate INHERIT = ContractTemplate.process().params(Param.INHERIT);

    private final Regents.Family f;
    private int adopted = -1;

    public InheritVsAdoptTest() {
        int[] id = new int[1];
        f = Regents.build(INHERIT, List.of(), () -> adopted = Regents.adopt(id[0], io.jcontract.Contract::abandon));
        id[0] = f.c().id();
    }

    @Actor
    public void owner() {
        Puppets.exit(f.s());
    }

    @Actor
    public void adopter() {
        f.rTasks().get(0).run();
    }

    @Arbiter
    public void arbiter(III_Result r) {
        r.r1 = adopted;
        ContractStatus s = f.c().status(StatusDetail.ALL);
        r.r2 = s.state().ordinal();
        int listed = 0;
        for (int id : f.r().contract().status(StatusDetail.ALL).inherited()) if (id == f.c().id()) listed++;
        r.r3 = listed;
        f.r().release();
    }
}
