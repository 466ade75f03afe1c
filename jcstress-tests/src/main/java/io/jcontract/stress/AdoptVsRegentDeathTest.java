package io.jcontract.stress;

import io.jcontract.ContractState;
import io.jcontract.ContractTemplate;
import io.jcontract.Contracts;
import io.jcontract.Param;
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
 * Race 5, adopt vs destruction of the regent. An adopter must be a member
 * of the regent, and a regent with members cannot die, so the race that
 * exists is: the regent's last member adopts the inherited contract C and
 * exits (C has INHERIT, so its holder's exit hands it back to the regent)
 * while the regent's holder abandons the regent. Whichever comes last
 * destroys the regent, which must abandon every contract it holds: C ends
 * DEAD (it is empty), never INHERITED by a dead regent nor OWNED by a
 * member that is gone.
 *
 * <p>r1: the adoption (0 won, 1 busy, 2 gone, 3 denied). r2: what the
 * adopter saw of the regent, 0 still held, 1 already an orphan. r3: C's
 * final state, r4: the regent's (ordinals of ContractState).
 */
@JCStressTest
@Outcome(id = "0, 0, 3, 3", expect = ACCEPTABLE, desc = "adopted and handed back; the abandon destroyed both")
@Outcome(id = "0, 1, 3, 3", expect = ACCEPTABLE_INTERESTING, desc = "the regent was orphaned first; the adopter's exit destroyed both")
@Outcome(id = "0, .*, [0-2], .*", expect = FORBIDDEN, desc = "C outlived its regent (OWNED, INHERITED or ORPHAN)")
@Outcome(id = "[1-3], .*", expect = FORBIDDEN, desc = "the regent's last member could not adopt")
@Outcome(expect = FORBIDDEN, desc = "anything else")
@State
public class AdoptVsRegentDeathTest {
    private static final ContractTemplate INHERIT = ContractTemplate.process().params(Param.INHERIT);

    private final Regents.Family f;
    private int adopted = -1, sawOrphan = -1;

    public AdoptVsRegentDeathTest() {
        int[] id = new int[1];
        f = Regents.build(INHERIT, List.of(), () -> {
            adopted = Regents.adopt(id[0], h -> { });
            sawOrphan = Contracts.current().state() == ContractState.ORPHAN ? 1 : 0;
        });
        id[0] = f.c().id();
        Puppets.exit(f.s());
    }

    @Actor
    public void lastMember() {
        f.rTasks().get(0).run();
    }

    @Actor
    public void regentHolder() {
        f.r().contract().abandon();
    }

    @Arbiter
    public void arbiter(IIII_Result r) {
        r.r1 = adopted;
        r.r2 = sawOrphan;
        r.r3 = f.c().state().ordinal();
        r.r4 = f.r().contract().state().ordinal();
        f.r().release();
    }
}
