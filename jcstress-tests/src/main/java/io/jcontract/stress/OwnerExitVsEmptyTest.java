package io.jcontract.stress;

import io.jcontract.ContractEvent;
import io.jcontract.ContractStatus;
import io.jcontract.ContractTemplate;
import io.jcontract.Contracts;
import io.jcontract.EventListener;
import io.jcontract.EventType;
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
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Race 13, owner exit (inheritance) vs member exit emptying the contract.
 * S, a member of the regent R, holds C (INHERIT, EMPTY critical); S exits
 * while C's last member exits. Either way C ends INHERITED by R (an empty
 * inherited contract waits for its adopter, it is not destroyed), with one
 * EMPTY, unacknowledged; a member of R that then adopts C finds that EMPTY
 * exactly once in its owner queue, wherever it was published first.
 *
 * <p>r1: C's state ordinal (1 INHERITED). r2: 1 if R is C's regent and lists
 * it. r3: EMPTY events in C's queue. r4: EMPTY events the adopter read.
 */
@JCStressTest
@Outcome(id = "1, 1, 1, 1", expect = ACCEPTABLE, desc = "C inherited, one EMPTY, the adopter gets it once")
@Outcome(id = "[023], .*", expect = FORBIDDEN, desc = "C was not inherited (abandoned or destroyed instead)")
@Outcome(id = "1, 0, .*", expect = FORBIDDEN, desc = "C inherited, but R does not hold it")
@Outcome(id = "1, 1, [02-9], .*", expect = FORBIDDEN, desc = "EMPTY lost or doubled")
@Outcome(id = "1, 1, 1, [02-9]", expect = FORBIDDEN, desc = "the adopter lost the EMPTY or got it twice")
@Outcome(expect = FORBIDDEN, desc = "anything else")
@State
public class OwnerExitVsEmptyTest {
    private static final ContractTemplate INHERIT = ContractTemplate.process()
            .params(Param.INHERIT).informative().critical(EventType.EMPTY);

    private final Regents.Family f;
    private final EventListener events;
    /** EMPTY events the adopter read; -2 if it could not adopt. */
    private int adopterEmpties = -1;

    public OwnerExitVsEmptyTest() {
        int[] id = new int[1];
        f = Regents.build(INHERIT, List.of(() -> { }), () -> {
            int[] n = {0};
            int won = Regents.adopt(id[0], h -> {
                try (EventListener mine = Contracts.ownerEvents()) {
                    for (ContractEvent e : StressSupport.drain(mine)) {
                        if (e.contractId() == h.id() && e.type() == EventType.EMPTY) {
                            n[0]++;
                            h.ack(e);
                        }
                    }
                }
                h.abandon();
            });
            adopterEmpties = won == Regents.WON ? n[0] : -2;
        });
        id[0] = f.c().id();
        events = f.c().events();
    }

    @Actor
    public void owner() {
        Puppets.exit(f.s());
    }

    @Actor
    public void lastMember() {
        f.cTasks().get(0).run();
    }

    @Arbiter
    public void arbiter(IIII_Result r) {
        ContractStatus s = f.c().status(StatusDetail.ALL);
        r.r1 = s.state().ordinal();
        r.r2 = s.regentId() == f.r().contract().id()
                && f.r().contract().status(StatusDetail.ALL).inherited().contains(f.c().id()) ? 1 : 0;
        int empties = 0;
        for (ContractEvent e : StressSupport.drain(events)) if (e.type() == EventType.EMPTY) empties++;
        r.r3 = empties;
        events.close();
        f.rTasks().get(0).run();       // a member of R adopts C, reads and acks its events, abandons it
        r.r4 = adopterEmpties;
        f.r().release();
    }
}
