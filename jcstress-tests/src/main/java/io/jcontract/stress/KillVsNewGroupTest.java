package io.jcontract.stress;

import io.jcontract.ContractEvent;
import io.jcontract.ContractKilledException;
import io.jcontract.ContractTemplate;
import io.jcontract.Contracts;
import io.jcontract.EventListener;
import io.jcontract.EventType;
import io.jcontract.Param;
import io.jcontract.internal.ContractTable;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import java.util.ArrayList;
import java.util.List;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Race 12, kill vs a member starting a new group, in a PGRPONLY contract
 * whose fatal set is CORE. All members start in one group G. The offender
 * dies of an uncaught exception (CORE), which kills group G but not the
 * offender; meanwhile member M starts a new group and then forks K (which
 * inherits M's new group). The kill sees M either in G (M is killed, and
 * cannot fork K any more) or in its new group (M and K are both spared):
 * never one without the other. A third member that stays in G (a pending
 * task) is always killed.
 *
 * <p>r1: M, 0 spared (EXIT 0), 1 killed (EXIT 137), 2 killed before it ran.
 * r2: K, 0 ran, 1 cancelled by the kill, 2 fork refused, 3 never forked.
 * r3: 1 if the member that stayed in G escaped the kill.
 */
@JCStressTest
@Outcome(id = "0, 0, 0", expect = ACCEPTABLE, desc = "M left G before the kill: M and K spared")
@Outcome(id = "1, 2, 0", expect = ACCEPTABLE_INTERESTING, desc = "the kill caught M in G: its fork was refused")
@Outcome(id = "2, 3, 0", expect = ACCEPTABLE, desc = "the kill came before M ran: M cancelled")
@Outcome(id = "0, [12], .*", expect = FORBIDDEN, desc = "M spared, but its child killed or refused")
@Outcome(id = "1, [01], .*", expect = FORBIDDEN, desc = "M killed, but its child (in M's group) forked")
@Outcome(id = ".*, .*, 1", expect = FORBIDDEN, desc = "a member of the offender's group escaped")
@Outcome(expect = FORBIDDEN, desc = "anything else")
@State
public class KillVsNewGroupTest {
    private static final ContractTemplate TERMS = ContractTemplate.process()
            .params(Param.PGRPONLY)
            .informative(EventType.EXIT)
            .critical(EventType.EMPTY)
            .fatal(EventType.CORE);

    private final List<Runnable> forked = new ArrayList<>();
    private volatile long mId;
    private volatile int k = 3;
    private volatile boolean kRan, stayerRan;
    private final Puppets.Held held = Puppets.held(TERMS,
            () -> {
                throw new IllegalStateException("offender dies: CORE, fatal");
            },
            this::member,
            () -> stayerRan = true);
    private final EventListener events = held.contract().events();

    private void member() {
        mId = ContractTable.TABLE.current().id();
        Contracts.newMemberGroup();
        try {
            Puppets.capturing(forked).execute(() -> kRan = true);
            k = 1;              // forked; whether it runs decides 0 or 1
        } catch (ContractKilledException e) {
            k = 2;
        }
    }

    @Actor
    public void offender() {
        try {
            held.tasks().get(0).run();
        } catch (IllegalStateException expected) {
            // the offender's throwable reaches its worker, as a pool's would
        }
    }

    @Actor
    public void member2() {
        held.tasks().get(1).run();
    }

    @Arbiter
    public void arbiter(III_Result r) {
        for (Runnable t : forked) t.run();
        held.tasks().get(2).run();
        int m = 2;
        for (ContractEvent e : StressSupport.drain(events)) {
            if (e.type() == EventType.EXIT && e.member() == mId)
                m = ((ContractEvent.Exit) e).status() == ContractEvent.Exit.STATUS_KILLED ? 1 : 0;
        }
        r.r1 = m;
        r.r2 = k == 1 ? (kRan ? 0 : 1) : k;
        r.r3 = stayerRan ? 1 : 0;
        events.close();
        held.release();
    }
}
