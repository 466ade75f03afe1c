package io.jcontract.internal;

import io.jcontract.ContractEvent;
import io.jcontract.EventListener;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import java.time.Duration;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Claimed slot vs reader (issue 14, defect 3). A producer publishes two critical events into a
 * contract-like event queue; a reader blocks in {@code takeCritical} for both (two actors: jcstress
 * skips a test with more actors than the machine's 2 CPUs). A producer
 * claims its slot (the producer-index CAS) before it stores the event, so the reader regularly
 * meets a claimed but unwritten slot: it must spin on it, and if it parks, a producer must see it
 * registered and unpark it. A lost wake-up shows as a take that times out (20 s, far beyond any
 * scheduling delay: the producer never waits).
 *
 * <p>r1: events the reader took (each take bounded). r2: 1 if they were the two published, in order. r3: events left for a later read (the arbiter's poll).
 *
 * <p>Lives in core's package (split package on the class path, as in the benchmarks) to reach the
 * queue's package-private producer side without forking members.
 */
@JCStressTest
@Outcome(id = "2, 1, 0", expect = ACCEPTABLE, desc = "both events taken once each")
@Outcome(id = "[01], .*", expect = FORBIDDEN, desc = "a take timed out: lost wake-up, or a claimed slot skipped")
@Outcome(expect = FORBIDDEN, desc = "an event twice, a wrong event, or one left over")
@State
public class EventClaimedSlotVsReaderTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private final EventQueue queue = new EventQueue("claimed-slot test", true, EventQueue.DEFAULT_CAPACITY);
    private final EventListener listener = queue.listen(false);
    private final Published first = new Published(new ContractEvent.Empty(1, 7, true, 1), "stress");
    private final Published second = new Published(new ContractEvent.Empty(2, 8, true, 2), "stress");
    private int taken, right;

    @Actor
    public void producer() {
        queue.offer(first);
        queue.offer(second);
    }

    @Actor
    public void reader() {
        try {
            ContractEvent a = listener.takeCritical(PATIENCE);
            taken++;
            ContractEvent b = listener.takeCritical(PATIENCE);
            taken++;
            right = a == first.event && b == second.event ? 1 : 0;      // and in order
        } catch (Exception timedOutOrInterrupted) {
            // taken says how far it got
        }
    }

    @Arbiter
    public void arbiter(III_Result r) {
        r.r1 = taken;
        r.r2 = right;
        int left = 0;
        while (listener.poll().isPresent()) left++;
        r.r3 = left;
        listener.close();
    }
}
