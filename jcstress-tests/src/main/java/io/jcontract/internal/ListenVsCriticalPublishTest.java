package io.jcontract.internal;

import io.jcontract.ContractEvent;
import io.jcontract.EventListener;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * A new listener vs a critical publish, in the fan-out event queue (issue 14): a listener that
 * opens while an unacknowledged critical event is published gets it exactly once, either from the
 * events the queue keeps for listeners to come (if the publish came first) or in its own queue (if
 * it opened first), never from both and never from neither. An informative event published
 * before the critical one by the same producer, when the new listener gets it at all, comes first.
 *
 * <p>r1: times the new listener read the critical event. r2: 1 if what it read is in publication
 * order. r3: times the listener that was open all along read the critical event.
 *
 * <p>Lives in core's package (split package on the class path, as in the benchmarks) to reach the
 * queue's package-private producer side.
 */
@JCStressTest
@Outcome(id = "1, 1, 1", expect = ACCEPTABLE, desc = "the critical event read once by each listener, in order")
@Outcome(id = "0, .*", expect = FORBIDDEN, desc = "the new listener missed an unacknowledged critical event")
@Outcome(id = "[2-9], .*", expect = FORBIDDEN, desc = "the new listener read the critical event twice")
@Outcome(id = "1, 0, .*", expect = FORBIDDEN, desc = "read out of order")
@Outcome(expect = FORBIDDEN, desc = "anything else")
@State
public class ListenVsCriticalPublishTest {
    private final EventQueue queue = new EventQueue("listen test", true, EventQueue.DEFAULT_CAPACITY);
    private final EventListener early = queue.listen(false);
    private final Published fork = new Published(new ContractEvent.Fork(1, 7, false, 11, 10), "stress");
    private final Published empty = new Published(new ContractEvent.Empty(2, 7, true, 10), "stress");
    private EventListener late;

    @Actor
    public void publisher() {
        queue.offer(fork);
        queue.offer(empty);
    }

    @Actor
    public void listener() {
        late = queue.listen(false);
    }

    @Arbiter
    public void arbiter(III_Result r) {
        int critical = 0;
        boolean ordered = true;
        long last = 0;
        for (ContractEvent e; (e = late.poll().orElse(null)) != null; ) {
            if (e.id() <= last) ordered = false;
            last = e.id();
            if (e == empty.event) critical++;
        }
        int earlyCritical = 0;
        for (ContractEvent e; (e = early.poll().orElse(null)) != null; ) if (e == empty.event) earlyCritical++;
        r.r1 = critical;
        r.r2 = ordered ? 1 : 0;
        r.r3 = earlyCritical;
        late.close();
        early.close();
    }
}
