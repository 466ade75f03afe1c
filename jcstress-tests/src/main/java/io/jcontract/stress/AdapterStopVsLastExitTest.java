package io.jcontract.stress;

import io.jcontract.ContractStatus;
import io.jcontract.StatusDetail;
import io.jcontract.internal.Ownership;
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
 * An adapter's stop racing the last exit (issue 12): a member created a
 * lifecycle object that an adapter recognises; the contract's last member (a
 * pooled task) exits while the holder kills the contract, so rung 4's stop
 * runs while the contract empties, or after it emptied. The object is
 * stopped exactly once, the contract is EMPTY, and nothing stays listed.
 *
 * <p>r1: the object's stops. r2: 1 the contract was empty after the kill. r3: owned things still listed.
 */
@JCStressTest
@Outcome(id = "1, 1, 0", expect = ACCEPTABLE, desc = "stopped once, empty, nothing kept")
@Outcome(id = "0, .*, .*", expect = FORBIDDEN, desc = "an owned lifecycle object was not stopped after a kill that saw it")
@Outcome(id = "[2-9], .*, .*", expect = FORBIDDEN, desc = "stopped twice")
@Outcome(expect = FORBIDDEN, desc = "anything else (not empty, or still listed)")
@State
public class AdapterStopVsLastExitTest {
    static {
        Rung4.init();
    }

    private final Rung4.StressLifecycle lifecycle = new Rung4.StressLifecycle();
    private final Rung4.Setup setup;

    public AdapterStopVsLastExitTest() {
        setup = Rung4.contract(() -> Ownership.created(lifecycle), Rung4.NOTHING);
    }

    @Actor
    public void lastMember() {
        setup.tasks().get(0).run();
    }

    @Actor
    public void holder() {
        setup.contract().kill();
    }

    @Arbiter
    public void arbiter(III_Result r) {
        Rung4.await(() -> lifecycle.stops.get() > 0);
        r.r1 = lifecycle.stops.get();
        boolean empty;
        try {
            empty = setup.contract().kill().awaitEmpty(Duration.ofSeconds(10)).empty();
        } catch (InterruptedException e) {
            empty = false;
        }
        ContractStatus s = setup.contract().status(StatusDetail.ALL);
        r.r2 = empty && s.members().isEmpty() ? 1 : 0;
        r.r3 = s.owned().size();
        if (lifecycle.stops.get() != r.r1) r.r1 = lifecycle.stops.get();   // a second kill must not stop it again
        setup.contract().abandon();
    }
}
