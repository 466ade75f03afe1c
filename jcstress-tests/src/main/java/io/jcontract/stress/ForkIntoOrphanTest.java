package io.jcontract.stress;

import io.jcontract.ContractKilledException;
import io.jcontract.ContractState;
import io.jcontract.ContractTemplate;
import io.jcontract.ContractThreads;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Fork into an orphan (issue 14's coverage gap): a member starts a thread while the holder
 * abandons the contract. Without NOORPHAN the contract becomes an orphan and lives while it has
 * members: the child is a member of the orphan whichever came first, the orphan dies only when
 * the child has ended, and never while it runs.
 *
 * <p>r1: 0 forked, 1 fork refused. r2: the contract's state once both actors are done
 * (2 ORPHAN, 3 DEAD). r3: the state after the child ended (3 DEAD), -1 if it did not end in 10 s.
 */
@JCStressTest
@Outcome(id = "0, 2, 3", expect = ACCEPTABLE, desc = "the child lives in the orphan, which dies after it")
@Outcome(id = "0, 3, .*", expect = FORBIDDEN, desc = "the orphan died with a member alive")
@Outcome(id = "1, .*, .*", expect = FORBIDDEN, desc = "a member of an orphan may fork")
@Outcome(expect = FORBIDDEN, desc = "anything else")
@State
public class ForkIntoOrphanTest {
    private final StressSupport.Setup setup;
    private final CountDownLatch release = new CountDownLatch(1);
    private volatile int forked = -1;
    private volatile Thread child;

    public ForkIntoOrphanTest() {
        setup = StressSupport.contractWithPendingTasks(ContractTemplate.process(), false, this::fork);
    }

    private void fork() {
        try {
            child = ContractThreads.startVirtual(() -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    // nothing kills it here
                }
            });
            forked = 0;
        } catch (ContractKilledException refused) {
            forked = 1;
        }
    }

    @Actor
    public void member() {
        setup.tasks().get(0).run();
    }

    @Actor
    public void holder() {
        setup.contract().abandon();
    }

    @Arbiter
    public void arbiter(III_Result r) {
        r.r1 = forked;
        r.r2 = setup.contract().state().ordinal();
        release.countDown();
        int after = -1;
        try {
            Thread c = child;
            if (c == null || c.join(Duration.ofSeconds(10))) after = setup.contract().state().ordinal();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        r.r3 = after;
    }
}
