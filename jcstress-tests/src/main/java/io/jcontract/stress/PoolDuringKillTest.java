package io.jcontract.stress;

import io.jcontract.internal.Member;
import io.jcontract.internal.Ownership;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * A pool created during a kill (issue 12): a member made a pool in the
 * set-up, and a pooled task of the contract makes the pool start a worker
 * while the holder kills the contract. The worker joins the pool's contract
 * before the kill (and is killed with it) or is refused (a killed contract
 * takes no new worker; its pool is shut down anyway). Never a worker that
 * joined and escaped the kill; the pool is shut down exactly once.
 *
 * <p>r1: 1 the worker joined. r2: 1 it was marked killed. r3: the pool's shutdowns.
 */
@JCStressTest
@Outcome(id = "1, 1, 1", expect = ACCEPTABLE, desc = "the worker joined before the kill and was killed")
@Outcome(id = "0, 0, 1", expect = ACCEPTABLE_INTERESTING, desc = "killed first: the worker is no member, the pool is shut down")
@Outcome(id = "1, 0, .*", expect = FORBIDDEN, desc = "a worker joined and escaped the kill")
@Outcome(expect = FORBIDDEN, desc = "anything else")
@State
public class PoolDuringKillTest {
    private final Rung4.CountingPool pool = new Rung4.CountingPool();
    private final Thread worker = Thread.ofVirtual().unstarted(Rung4.NOTHING);
    private final Rung4.Setup setup;
    private volatile Member joined;

    public PoolDuringKillTest() {
        setup = Rung4.contract(() -> Ownership.created(pool), Rung4.NOTHING);
    }

    @Actor
    public void starter() {
        joined = Ownership.forkWorker(worker, pool);
    }

    @Actor
    public void holder() {
        setup.contract().kill();
    }

    @Arbiter
    public void arbiter(III_Result r) {
        Member m = joined;
        Rung4.await(() -> pool.shutdowns.get() > 0);
        r.r1 = m != null ? 1 : 0;
        r.r2 = m != null && m.isKilled() ? 1 : 0;
        r.r3 = pool.shutdowns.get();
        if (m != null) Puppets.exit(m);
        setup.tasks().get(0).run();     // cancelled by the kill: returns at once
        Rung4.release(setup.contract());
        pool.shutdown();
    }
}
