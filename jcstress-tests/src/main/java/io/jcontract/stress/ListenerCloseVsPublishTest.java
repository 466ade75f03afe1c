package io.jcontract.stress;

import io.jcontract.ContractTemplate;
import io.jcontract.EventListener;
import io.jcontract.EventType;
import io.jcontract.internal.EventQueue;
import io.jcontract.internal.Handles;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Listener close vs publish (issue 14's coverage gap): the only listener of a holder's owner
 * queue closes while a member of the held contract publishes informative events (its FORK and
 * EXIT). Once both are done the queue has no listener and keeps nothing: an informative event
 * offered around the close is dropped, never kept for a listener that is gone.
 *
 * <p>r1: listeners left. r2: events the queue keeps.
 */
@JCStressTest
@Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "closed; whatever was published around it is dropped")
@Outcome(id = "[1-9].*, .*", expect = FORBIDDEN, desc = "a closed listener is still registered")
@Outcome(id = ".*, [1-9].*", expect = FORBIDDEN, desc = "events kept for nobody")
@Outcome(expect = FORBIDDEN, desc = "anything else")
@State
public class ListenerCloseVsPublishTest {
    private static final ContractTemplate INFORMATIVE_ONLY =
            ContractTemplate.process().informative(EventType.FORK, EventType.EXIT).critical();

    private final Puppets.Held held = Puppets.held(INFORMATIVE_ONLY, () -> { });
    private final EventQueue ownerQueue = Handles.ownerQueue(held.holder());
    private final EventListener listener = ownerQueue.listen(false);

    @Actor
    public void member() {
        held.tasks().get(0).run();          // FORK when it starts, EXIT when it ends
    }

    @Actor
    public void reader() {
        listener.close();
    }

    @Arbiter
    public void arbiter(II_Result r) {
        r.r1 = ownerQueue.listeners();
        r.r2 = ownerQueue.retained();
        held.release();
    }
}
