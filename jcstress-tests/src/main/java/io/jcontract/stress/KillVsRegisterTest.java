package io.jcontract.stress;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.I_Result;

import java.util.concurrent.atomic.AtomicInteger;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Kill vs register (issue 14's coverage gap): the holder registers a resource
 * while it (or another thread of its own) kills the contract. The resource
 * is in the list the kill takes, or registered after it and closed at once:
 * closed exactly once either way.
 *
 * <p>r1: how many times the resource was closed.
 */
@JCStressTest
@Outcome(id = "1", expect = ACCEPTABLE, desc = "closed once, by the kill or at registration")
@Outcome(id = "0", expect = FORBIDDEN, desc = "never closed")
@Outcome(expect = FORBIDDEN, desc = "closed more than once")
@State
public class KillVsRegisterTest {
    private final AtomicInteger closes = new AtomicInteger();
    private final Rung4.Setup setup = Rung4.contract(Rung4.NOTHING, Rung4.NOTHING);

    @Actor
    public void register() {
        setup.contract().register(closes::incrementAndGet);
    }

    @Actor
    public void kill() {
        setup.contract().kill();
    }

    @Arbiter
    public void arbiter(I_Result r) {
        Rung4.await(() -> closes.get() > 0);
        Rung4.release(setup.contract());
        r.r1 = closes.get();
    }
}
