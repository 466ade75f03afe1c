package io.jcontract.stress;

import io.jcontract.ContractExecutors;
import io.jcontract.ContractTemplate;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Race 9, a pooled task completing vs a kill of its contract. The task is
 * submitted through {@link ContractExecutors#wrap(ExecutorService)} (so it
 * has a Future, which completes after the task has left its contract); the
 * "pool" is the actor itself, which runs the task and then checks whether
 * the worker thread is interrupted, i.e. whether the worker's next task
 * would see the kill. The interrupt reaches the task or nothing; never the
 * worker after the task.
 *
 * <p>r1: the task, 0 ran and was not interrupted, 1 ran and saw the
 * interrupt, 2 never ran (cancelled by the kill). r2: 1 if the worker was
 * interrupted after the task. r3: 1 if the Future says cancelled.
 */
@JCStressTest
@Outcome(id = "0, 0, 0", expect = ACCEPTABLE, desc = "the task ended before the kill reached it")
@Outcome(id = "1, 0, 0", expect = ACCEPTABLE_INTERESTING, desc = "the kill interrupted the running task, and only it")
@Outcome(id = "2, 0, 1", expect = ACCEPTABLE, desc = "killed before it started: cancelled, never ran")
@Outcome(id = ".*, 1, .*", expect = FORBIDDEN, desc = "the kill's interrupt leaked into the worker after the task")
@Outcome(expect = FORBIDDEN, desc = "anything else")
@State
public class TaskEndVsKillTest {
    /** A pool whose queue is a list: the actor is its only worker. */
    static final class ListPool extends AbstractExecutorService {
        final List<Runnable> queue = new ArrayList<>();
        @Override public void execute(Runnable r) { queue.add(r); }
        @Override public void shutdown() { }
        @Override public List<Runnable> shutdownNow() { return List.of(); }
        @Override public boolean isShutdown() { return false; }
        @Override public boolean isTerminated() { return false; }
        @Override public boolean awaitTermination(long t, TimeUnit u) { return true; }
    }

    private final ListPool pool = new ListPool();
    private final Puppets.Held held;
    private volatile int ran = 2;
    private final Future<?> future;
    private int leaked = -1;

    public TaskEndVsKillTest() {
        ExecutorService ex = ContractExecutors.wrap(pool);
        Future<?>[] f = new Future<?>[1];
        held = Puppets.heldDoing(ContractTemplate.process(), () -> f[0] = ex.submit(this::body), pool.queue);
        future = f[0];
    }

    private void body() {
        // A little work, so that a kill can land while the task runs.
        for (int i = 0; i < 8; i++) Thread.onSpinWait();
        ran = Thread.currentThread().isInterrupted() ? 1 : 0;
    }

    @Actor
    public void worker() {
        pool.queue.get(0).run();
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
        r.r3 = future.isCancelled() ? 1 : 0;
        held.release();
    }
}
