package io.jcontract.stress;

import io.jcontract.ContractEvent;
import io.jcontract.ContractTemplate;
import io.jcontract.EventListener;
import io.jcontract.EventType;
import io.jcontract.internal.ContractTable;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Race 11, listener reset vs publish. A listener that has read part of its
 * queue resets to the head and reads on, while a member ends and publishes
 * FORK (informative), EXIT and EMPTY (critical). From the reset point on,
 * the listener reads every kept event once, in order: the unacknowledged
 * critical events from before (two EXITs), and each new event exactly
 * once, whichever side of the reset it was published on.
 *
 * <p>r1: 1 if the ids read after the reset strictly increase (no event
 * twice). r2: how many of the three new events were read (each once).
 * r3: 1 if both earlier critical events were read again. r4: where the new
 * events were read, 0 all after the actor's reads (by the arbiter), 1 all
 * by the actor, 2 split.
 */
@JCStressTest
@Outcome(id = "1, 3, 1, 0", expect = ACCEPTABLE, desc = "published after the actor's reads")
@Outcome(id = "1, 3, 1, 1", expect = ACCEPTABLE, desc = "published before the reset or during the actor's reads")
@Outcome(id = "1, 3, 1, 2", expect = ACCEPTABLE_INTERESTING, desc = "published while the actor read on")
@Outcome(id = "0, .*", expect = FORBIDDEN, desc = "an event delivered twice after the reset, or out of order")
@Outcome(id = "1, [0-2], .*", expect = FORBIDDEN, desc = "a new event skipped")
@Outcome(id = "1, 3, 0, .*", expect = FORBIDDEN, desc = "an unacknowledged critical event skipped by the reset")
@Outcome(expect = FORBIDDEN, desc = "anything else")
@State
public class ResetVsPublishTest {
    private static final ContractTemplate TERMS = ContractTemplate.process()
            .informative(EventType.FORK)
            .critical(EventType.EXIT, EventType.EMPTY);

    private final long[] ids = new long[2];
    private final Puppets.Held held = Puppets.held(TERMS,
            () -> ids[0] = ContractTable.TABLE.current().id(),
            () -> ids[1] = ContractTable.TABLE.current().id());
    private final EventListener listener = held.contract().events();
    private final List<ContractEvent> byActor = new ArrayList<>();

    public ResetVsPublishTest() {
        held.tasks().get(0).run();          // FORK (informative), EXIT (critical)
        listener.poll();                    // the first member's EXIT
        listener.poll();                    // task 0's FORK: read, so the reset may free it
    }

    @Actor
    public void reader() {
        listener.reset();
        byActor.addAll(StressSupport.drain(listener));
    }

    @Actor
    public void publisher() {
        held.tasks().get(1).run();          // FORK, EXIT, EMPTY
    }

    @Arbiter
    public void arbiter(IIII_Result r) {
        List<ContractEvent> byArbiter = StressSupport.drain(listener);
        List<ContractEvent> all = new ArrayList<>(byActor);
        all.addAll(byArbiter);
        boolean increasing = true;
        for (int i = 1; i < all.size(); i++) if (all.get(i).id() <= all.get(i - 1).id()) increasing = false;
        r.r1 = increasing ? 1 : 0;
        Set<EventType> fresh = new HashSet<>();
        int freshCount = 0, earlierExits = 0, freshByActor = 0;
        for (ContractEvent e : all) {
            boolean isNew = e.member() == ids[1] || e.type() == EventType.EMPTY;
            if (isNew) {
                freshCount++;
                fresh.add(e.type());
                if (byActor.contains(e)) freshByActor++;
            } else if (e.type() == EventType.EXIT) {
                earlierExits++;
            }
        }
        r.r2 = freshCount == fresh.size() ? freshCount : -1;
        r.r3 = earlierExits == 2 ? 1 : 0;
        r.r4 = freshByActor == 0 ? 0 : freshByActor == freshCount ? 1 : 2;
        listener.close();
        held.release();
    }
}
