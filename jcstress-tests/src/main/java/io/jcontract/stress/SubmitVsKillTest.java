package io.jcontract.stress;

import io.jcontract.ContractExecutors;
import io.jcontract.ContractKilledException;
import io.jcontract.ContractTemplate;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Issue 14, defect 6: a member submits to {@link ContractExecutors#wrap(ExecutorService)} while the
 * holder kills the contract. The task's member is forked (pending) before its Future exists; a
 * kill in between used to miss the Future, and the task was later skipped without completing it,
 * so {@code get()} hung. Whatever the order, once the pool has run what it was given, the Future
 * is done.
 *
 * <p>r1: 0 submitted, 1 submit refused (killed first), 2 the submitting task never ran.
 * r2: 1 if a Future that was handed out is not done after the pool ran its queue.
 */
@JCStressTest
@Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "submitted; the Future completed or was cancelled")
@Outcome(id = "1, 0", expect = ACCEPTABLE_INTERESTING, desc = "killed before the submit: refused")
@Outcome(id = "2, 0", expect = ACCEPTABLE, desc = "killed before the submitting task ran")
@Outcome(id = ".*, 1", expect = FORBIDDEN, desc = "a Future that can never complete")
@Outcome(expect = FORBIDDEN, desc = "anything else")
@State
public class SubmitVsKillTest {
    private final TaskEndVsKillTest.ListPool pool = new TaskEndVsKillTest.ListPool();
    private final ExecutorService ex = ContractExecutors.wrap(pool);
    private final StressSupport.Setup setup;
    private volatile int submitted = 2;
    private volatile Future<?> future;

    public SubmitVsKillTest() {
        setup = StressSupport.contractWithPendingTasks(ContractTemplate.process(), false, this::submit);
    }

    private void submit() {
        try {
            future = ex.submit(() -> { });
            submitted = 0;
        } catch (ContractKilledException refused) {
            submitted = 1;
        }
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
    public void arbiter(II_Result r) {
        r.r1 = submitted;
        List<Runnable> queued = List.copyOf(pool.queue);
        for (Runnable task : queued) task.run();        // the pool's worker
        Future<?> f = future;
        r.r2 = f != null && !f.isDone() ? 1 : 0;
        setup.contract().abandon();
    }
}
