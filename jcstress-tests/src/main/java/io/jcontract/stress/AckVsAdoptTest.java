package io.jcontract.stress;

import io.jcontract.Contract;
import io.jcontract.ContractEvent;
import io.jcontract.ContractPermissionException;
import io.jcontract.ContractTemplate;
import io.jcontract.EventListener;
import io.jcontract.NoSuchEventException;
import io.jcontract.Param;
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
 * Ack vs adopt (issue 14's coverage gap, and defect 13's holder check): S holds C, which has an
 * unacknowledged critical EMPTY. S's handle acknowledges it (from another thread) while S exits,
 * which hands C to the regent R, and a member of R adopts C. The handle's check that S holds C
 * must be made under C's lock: an ack that lands after C changed hands acknowledges another
 * holder's event.
 *
 * <p>r1: the adoption (0 won, 1 busy). r2: the ack (0 done, 1 refused: not held, 2 no such event).
 * r3: unacknowledged events C had right after the adoption (-1 if it did not win). An ack done
 * while S held C leaves none to adopt; so 1 with a successful ack means the ack came after.
 */
@JCStressTest
@Outcome(id = "0, 0, 0", expect = ACCEPTABLE, desc = "acked while S held C; then inherited and adopted")
@Outcome(id = "0, 1, 1", expect = ACCEPTABLE_INTERESTING, desc = "S had left: ack refused; the adopter has the event")
@Outcome(id = "0, 0, 1", expect = FORBIDDEN, desc = "the old holder's ack landed after the adoption")
@Outcome(expect = FORBIDDEN, desc = "anything else")
@State
public class AckVsAdoptTest {
    private static final ContractTemplate INHERIT = ContractTemplate.process().params(Param.INHERIT);

    private final Regents.Family f;
    private final long emptyId;
    private volatile int adopted = -1, unackedAtAdopt = -1;
    private int acked = -1;

    public AckVsAdoptTest() {
        int[] id = new int[1];
        f = Regents.build(INHERIT, List.of(), () -> adopted = Regents.adopt(id[0], this::adopted));
        id[0] = f.c().id();
        try (EventListener l = f.c().events()) {
            ContractEvent e = l.pollCritical().orElseThrow(() -> new IllegalStateException("no EMPTY"));
            if (!(e instanceof ContractEvent.Empty)) throw new IllegalStateException("not EMPTY: " + e);
            emptyId = e.id();
        }
    }

    private void adopted(Contract h) {
        unackedAtAdopt = h.status().unackedCritical();
    }

    /** S exits (C passes to R), then a member of R adopts C: one actor, as jcstress runs two on two cores. */
    @Actor
    public void ownerThenAdopter() {
        Puppets.exit(f.s());
        f.rTasks().get(0).run();
    }

    @Actor
    public void oldHoldersHandle() {
        try {
            f.c().ack(emptyId);
            acked = 0;
        } catch (ContractPermissionException e) {
            acked = 1;
        } catch (NoSuchEventException e) {
            acked = 2;
        }
    }

    @Arbiter
    public void arbiter(III_Result r) {
        r.r1 = adopted;
        r.r2 = acked;
        r.r3 = unackedAtAdopt;
        f.r().release();
    }
}
