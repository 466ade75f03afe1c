package io.jcontract.internal;

import io.jcontract.ContractEvent;
import io.jcontract.EventListener;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

import java.util.ArrayList;
import java.util.List;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Trim vs reader (issue 14, defect 9). A queue of capacity {@value #CAPACITY} with one ordinary
 * listener; a producer publishes {@value #INFORMATIVE} informative events and then one critical
 * one, so it trims for capacity from the producer side while a reader polls. Informative events
 * past the capacity may be dropped for the lagging reader, and then counted in its
 * {@code dropped()}; the critical event is never trimmed unread; nothing is read twice or out of
 * order.
 *
 * <p>r1: 1 if the ids read (by the reader, then the arbiter) strictly increase. r2: times the
 * critical event was read. r3: 1 if read + dropped = published. r4: 1 if the reader saw any drop
 * (informative: how often trimming overtook it).
 */
@JCStressTest
@Outcome(id = "1, 1, 1, 0", expect = ACCEPTABLE, desc = "the reader kept up or the trim came after it")
@Outcome(id = "1, 1, 1, 1", expect = ACCEPTABLE_INTERESTING, desc = "informative events dropped for the lagging reader, counted")
@Outcome(id = "0, .*", expect = FORBIDDEN, desc = "an event read twice or out of order")
@Outcome(id = "1, [^1], .*", expect = FORBIDDEN, desc = "the critical event trimmed unread, or read twice")
@Outcome(id = "1, 1, 0, .*", expect = FORBIDDEN, desc = "an event neither read nor counted as dropped")
@Outcome(expect = FORBIDDEN, desc = "anything else")
@State
public class EventTrimVsReaderTest {
    static final int CAPACITY = 4;
    static final int INFORMATIVE = 12;

    private final EventQueue queue = new EventQueue("trim test", true, CAPACITY);
    private final EventListener listener = queue.listen(false);
    private final List<ContractEvent> read = new ArrayList<>();

    @Actor
    public void producer() {
        for (long id = 1; id <= INFORMATIVE; id++)
            queue.offer(new Published(new ContractEvent.Fork(id, 7, false, id, 1), "stress"));
        queue.offer(new Published(new ContractEvent.Empty(INFORMATIVE + 1, 7, true, 1), "stress"));
    }

    @Actor
    public void reader() {
        for (int i = 0; i < INFORMATIVE + 1; i++) listener.poll().ifPresent(read::add);
    }

    @Arbiter
    public void arbiter(IIII_Result r) {
        boolean sawDrop = listener.dropped() != 0;
        for (ContractEvent e; (e = listener.poll().orElse(null)) != null; ) read.add(e);
        boolean increasing = true;
        int critical = 0;
        for (int i = 0; i < read.size(); i++) {
            if (i > 0 && read.get(i).id() <= read.get(i - 1).id()) increasing = false;
            if (read.get(i).critical()) critical++;
        }
        r.r1 = increasing ? 1 : 0;
        r.r2 = critical;
        r.r3 = read.size() + listener.dropped() == INFORMATIVE + 1 ? 1 : 0;
        r.r4 = sawDrop || listener.dropped() != 0 ? 1 : 0;
        listener.close();
    }
}
