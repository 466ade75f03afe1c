package io.jcontract.stress;

import io.jcontract.ContractKilledException;
import io.jcontract.ContractStatus;
import io.jcontract.ContractTemplate;
import io.jcontract.ContractThreads;
import io.jcontract.MemberInfo;
import io.jcontract.StatusDetail;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import io.jcontract.Contract;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Race 1, fork vs kill: a member starts a thread while the holder kills the
 * contract. The child either failed to fork (ContractKilledException), or
 * never had a parent to fork it (the task was cancelled before it ran), or
 * is a member that the kill marked. Never a live child outside the kill.
 *
 * <p>r1: 0 forked, 1 fork refused, 2 the forking task never ran.
 * r2: members alive after the kill that it did not mark.
 * r3: 1 if a forked child was not interrupted (it waits for nothing else) or
 * the contract did not empty (both waited for up to 10 s).
 */
@JCStressTest
@Outcome(id = "0, 0, 0", expect = ACCEPTABLE, desc = "forked before the kill; the child was killed")
@Outcome(id = "1, 0, 0", expect = ACCEPTABLE_INTERESTING, desc = "killed between the task's start and its fork: fork refused")
@Outcome(id = "2, 0, 0", expect = ACCEPTABLE, desc = "killed before the task ran: it never ran")
@Outcome(id = ".*, [1-9], .*", expect = FORBIDDEN, desc = "a member escaped the kill")
@Outcome(id = ".*, .*, 1", expect = FORBIDDEN, desc = "a marked child was never interrupted, or the contract never emptied")
@Outcome(expect = FORBIDDEN, desc = "anything else")
@State
public class ForkVsKillTest {
    private final StressSupport.Setup setup;
    private volatile int forked = 2;
    private volatile Thread child;
    private volatile Contract.KillHandle kill;

    public ForkVsKillTest() {
        setup = StressSupport.contractWithPendingTasks(ContractTemplate.process(), false, this::fork);
    }

    private void fork() {
        try {
            child = ContractThreads.startVirtual(() -> {
                try {
                    new CountDownLatch(1).await();
                } catch (InterruptedException killed) {
                    // the kill reached us
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
        kill = setup.contract().kill();
    }

    @Arbiter
    public void arbiter(III_Result r) {
        r.r1 = forked;
        ContractStatus s = setup.contract().status(StatusDetail.ALL);
        int unkilled = 0;
        for (MemberInfo m : s.members()) if (!m.killed()) unkilled++;
        r.r2 = unkilled;
        boolean stuck = false;
        try {
            Thread c = child;
            if (c != null && !c.join(Duration.ofSeconds(10))) stuck = true;     // it ends only when interrupted
            if (!kill.awaitEmpty(Duration.ofSeconds(10)).empty()) stuck = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stuck = true;
        }
        r.r3 = stuck ? 1 : 0;
        setup.contract().abandon();
    }
}
