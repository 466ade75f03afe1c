package io.jcontract.stress;

import io.jcontract.StatusDetail;
import io.jcontract.internal.Ownership;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Ownership registration against a kill (issue 12): a member (a pooled task)
 * creates a pool while the holder kills the contract. The pool was created
 * before the kill drained what the contract owns (then the kill shuts it
 * down), or after (then it is shut down at once), or never (the kill
 * cancelled the task first). Never owned and left running; never shut down
 * twice; nothing left in the contract's list.
 *
 * <p>r1: 1 the pool was made by the member. r2: its shutdowns. r3: owned things still listed after the kill.
 */
@JCStressTest
@Outcome(id = "1, 1, 0", expect = ACCEPTABLE, desc = "created, shut down once by the kill (before or after its drain)")
@Outcome(id = "0, 0, 0", expect = ACCEPTABLE, desc = "the kill cancelled the task before it ran")
@Outcome(id = "1, 0, .*", expect = FORBIDDEN, desc = "an owned pool was not shut down after the kill")
@Outcome(id = ".*, [2-9], .*", expect = FORBIDDEN, desc = "shut down twice")
@Outcome(expect = FORBIDDEN, desc = "anything else")
@State
public class OwnVsKillTest {
    private final Rung4.CountingPool pool = new Rung4.CountingPool();
    private final Rung4.Setup setup;
    private volatile boolean made;

    public OwnVsKillTest() {
        setup = Rung4.contract(Rung4.NOTHING, () -> {
            Ownership.created(pool);
            made = true;
        });
    }

    @Actor
    public void member() {
        setup.tasks().get(0).run();
    }

    @Actor
    public void holder() {
        setup.contract().kill();
    }

    @Arbiter
    public void arbiter(III_Result r) {
        Rung4.await(() -> !made || pool.shutdowns.get() > 0);
        r.r1 = made ? 1 : 0;
        r.r2 = pool.shutdowns.get();
        r.r3 = setup.contract().status(StatusDetail.ALL).owned().size();
        Rung4.release(setup.contract());
        pool.shutdown();
    }
}
