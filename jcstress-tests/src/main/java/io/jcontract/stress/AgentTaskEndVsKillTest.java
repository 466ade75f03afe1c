package io.jcontract.stress;

import io.jcontract.ContractTemplate;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import java.util.List;
import java.util.concurrent.FutureTask;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Race 9 on the agent's path: what {@link TaskEndVsKillTest} checks for the
 * explicit API, for a task handed to an unmodified pool. The set-up hands a
 * {@code FutureTask} off as {@code ThreadPoolExecutor.execute} does under
 * the agent (a pending member of the holder's contract); the worker actor
 * runs it as the agent's substitute for {@code task.run()} in the pool's
 * worker loop (whose {@code FutureTask.set} is woven too), then looks at
 * its own interrupt status: what the worker's next task would see. Run by
 * the gate with {@code -javaagent}.
 *
 * <p>r1: the task, 0 ran and was not interrupted, 1 ran and saw the
 * interrupt, 2 never ran. r2: 1 if the worker was interrupted after the
 * task. r3: 1 if the task's Future says cancelled.
 */
@JCStressTest
@Outcome(id = "0, 0, 0", expect = ACCEPTABLE, desc = "the task ended before the kill reached it")
@Outcome(id = "1, 0, 0", expect = ACCEPTABLE_INTERESTING, desc = "the kill interrupted the running task, and only it")
@Outcome(id = "2, 0, 1", expect = ACCEPTABLE, desc = "killed before it started: cancelled, never ran")
@Outcome(id = ".*, 1, .*", expect = FORBIDDEN, desc = "the kill's interrupt leaked into the worker after the task")
@Outcome(expect = FORBIDDEN, desc = "anything else")
@State
public class AgentTaskEndVsKillTest {
    private volatile int ran = 2;
    private final FutureTask<Void> task = new FutureTask<>(this::body, null);
    private final Puppets.Held held = Puppets.heldDoing(ContractTemplate.process(), () -> AgentBridge.handoff(task),
            List.of());
    private int leaked = -1;

    private void body() {
        for (int i = 0; i < 8; i++) Thread.onSpinWait();
        ran = Thread.currentThread().isInterrupted() ? 1 : 0;
    }

    @Actor
    public void worker() {
        AgentBridge.runPooled(task);
        leaked = Thread.interrupted() ? 1 : 0;
    }

    @Actor
    public void holder() {
        held.contract().kill();
    }

    @Arbiter
    public void arbiter(III_Result r) {
        r.r1 = ran;
        r.r2 = leaked;
        r.r3 = task.isCancelled() ? 1 : 0;
        held.release();
    }
}
