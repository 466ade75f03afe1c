package io.jcontract.agent;

import io.jcontract.Contract;
import io.jcontract.ContractTemplate;
import io.jcontract.Contracts;
import io.jcontract.KillReport;
import io.jcontract.MemberInfo;
import io.jcontract.StatusDetail;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RecursiveAction;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static io.jcontract.agent.AgentTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Issue 12 item 6: every way a JDK pool drops, drains, cancels, rejects or removes a task ends
 * the task's pending membership, so the contract can become EMPTY. One test per way; {@link #WAYS}
 * is the list, and {@link #everyWayHasItsTest} keeps it and the tests in step.
 */
@Timeout(60)
class PendingDropTest {
    static final Duration WAIT = Duration.ofSeconds(10);

    /** Each way a task leaves a JDK pool without running, and the test that covers it. */
    static final Map<String, String> WAYS = Map.ofEntries(
            Map.entry("ForkJoinTask.tryUnfork", "tryUnfork"),
            Map.entry("ForkJoinTask.pollNextLocalTask", "pollNextLocalTask"),
            Map.entry("ForkJoinTask.pollTask", "pollTask"),
            Map.entry("ForkJoinTask.pollSubmission / ForkJoinPool.pollSubmission", "pollSubmission"),
            Map.entry("ForkJoinPool.drainTasksTo", "drainTasksTo"),
            Map.entry("ForkJoinPool.shutdownNow (queued tasks cancelled)", "forkJoinShutdownNow"),
            Map.entry("ForkJoinTask.cancel of a queued task", "forkJoinCancel"),
            Map.entry("ScheduledThreadPoolExecutor.decorateTask wrapper: cancel", "decoratedCancel"),
            Map.entry("ScheduledThreadPoolExecutor.decorateTask wrapper: purge", "decoratedPurge"),
            Map.entry("ScheduledThreadPoolExecutor.decorateTask wrapper: shutdown", "decoratedShutdown"),
            Map.entry("ScheduledThreadPoolExecutor.decorateTask wrapper: shutdownNow", "decoratedShutdownNow"),
            Map.entry("ThreadPoolExecutor.execute: factory returned a started thread", "startedThreadFromFactory"),
            Map.entry("ScheduledThreadPoolExecutor.schedule: factory returned a started thread", "startedThreadFromFactory"),
            Map.entry("ThreadPoolExecutor.remove", "tpeRemove"),
            Map.entry("ThreadPoolExecutor.purge of a cancelled FutureTask", "tpePurge"),
            Map.entry("ThreadPoolExecutor.shutdownNow's returned list", "tpeShutdownNow"),
            Map.entry("rejection, DiscardOldestPolicy", "AgentTest.discardPoliciesLeaveNoPendingMemberBehind"));

    @Test
    void everyWayHasItsTest() {
        for (String test : WAYS.values()) {
            Class<?> cls = test.startsWith("AgentTest.") ? AgentTest.class : PendingDropTest.class;
            String name = test.substring(test.indexOf('.') + 1);
            boolean found = false;
            for (Method m : cls.getDeclaredMethods()) found |= m.getName().equals(name);
            assertTrue(found, "no test " + test);
        }
    }

    // ------------------------------------------------------------------ helpers

    /** Runs {@code body} as the first member of a new contract, waits for it to end, returns the contract. */
    static Contract inContract(ThrowingRunnable body) throws Exception {
        Throwable[] failed = new Throwable[1];
        Thread t;
        Contract c;
        try (var a = ContractTemplate.process().activate()) {
            t = new Thread(() -> {
                try {
                    body.run();
                } catch (Throwable x) {
                    failed[0] = x;
                }
            });
            t.start();
            c = Contracts.latest();
        }
        t.join(WAIT);
        if (failed[0] != null) throw new AssertionError("the member failed", failed[0]);
        return c;
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    /** The contract has no member left (no pending task) within the bound. */
    static void assertEmpties(Contract c) throws Exception {
        long end = System.nanoTime() + WAIT.toNanos();
        List<MemberInfo> left;
        int pending;
        do {
            var st = c.view().status(StatusDetail.ALL);
            left = st.members();
            pending = st.pendingTasks();
            if (left.isEmpty() && pending == 0) {
                c.abandon();
                return;
            }
            Thread.onSpinWait();
            Thread.sleep(5);
        } while (System.nanoTime() < end);
        KillReport r = c.kill().awaitEmpty(Duration.ofSeconds(1));
        c.abandon();
        fail("pending tasks that will never run: " + pending + ", running: " + left + " (a kill then: empty="
                + r.empty() + ")");
    }

    /** A one-worker pool whose worker is held until {@code release}; tasks submitted meanwhile queue. */
    static ForkJoinPool heldForkJoin(CountDownLatch held, CountDownLatch release) {
        ForkJoinPool p = new ForkJoinPool(1);
        p.execute(() -> {
            held.countDown();
            await(release);
        });
        await(held);
        return p;
    }

    // ------------------------------------------------------------------ fork/join

    abstract static class Outer extends RecursiveAction {
        final List<ForkJoinTask<?>> taken = new ArrayList<>();
        final RecursiveAction child = new RecursiveAction() {
            @Override
            protected void compute() {
            }
        };
    }

    private void forkJoinWay(Outer outer) throws Exception {
        ForkJoinPool pool = new ForkJoinPool(1);
        try {
            Contract c = inContract(() -> pool.invoke(outer));
            assertFalse(outer.taken.isEmpty(), "the way took no task: nothing was tested");
            assertEmpties(c);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void tryUnfork() throws Exception {
        forkJoinWay(new Outer() {
            @Override
            protected void compute() {
                child.fork();
                if (child.tryUnfork()) taken.add(child);   // dropped: never run
            }
        });
    }

    @Test
    void pollNextLocalTask() throws Exception {
        forkJoinWay(new Outer() {
            @Override
            protected void compute() {
                child.fork();
                ForkJoinTask<?> t = pollNextLocalTask();
                if (t != null) taken.add(t);
            }
        });
    }

    @Test
    void pollTask() throws Exception {
        forkJoinWay(new Outer() {
            @Override
            protected void compute() {
                child.fork();
                ForkJoinTask<?> t = pollTask();
                if (t != null) taken.add(t);
            }
        });
    }

    @Test
    void pollSubmission() throws Exception {
        ForkJoinPool pool = new ForkJoinPool(1);
        CountDownLatch submitted = new CountDownLatch(1), running = new CountDownLatch(1), polled = new CountDownLatch(1);
        List<ForkJoinTask<?>> taken = new ArrayList<>();
        try {
            pool.execute(new RecursiveAction() {        // from outside: holds the worker, then polls
                @Override
                protected void compute() {
                    running.countDown();
                    await(submitted);
                    ForkJoinTask<?> t = pollSubmission();
                    if (t != null) taken.add(t);
                    polled.countDown();
                }
            });
            await(running);
            Contract c = inContract(() -> pool.execute(() -> { }));
            submitted.countDown();
            await(polled);
            assertEquals(1, taken.size(), "the member's submission was polled");
            assertEmpties(c);
        } finally {
            pool.shutdownNow();
        }
    }

    static final class DrainablePool extends ForkJoinPool {
        DrainablePool() {
            super(1);
        }

        int drain(Collection<? super ForkJoinTask<?>> c) {
            return drainTasksTo(c);
        }
    }

    @Test
    void drainTasksTo() throws Exception {
        DrainablePool pool = new DrainablePool();
        CountDownLatch held = new CountDownLatch(1), release = new CountDownLatch(1);
        pool.execute(() -> {
            held.countDown();
            await(release);
        });
        await(held);
        try {
            Contract c = inContract(() -> {
                for (int i = 0; i < 3; i++) pool.execute(() -> { });
            });
            List<ForkJoinTask<?>> drained = new ArrayList<>();
            assertEquals(3, pool.drain(drained));
            assertEmpties(c);
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void forkJoinShutdownNow() throws Exception {
        CountDownLatch held = new CountDownLatch(1), release = new CountDownLatch(1);
        ForkJoinPool pool = heldForkJoin(held, release);
        try {
            Contract c = inContract(() -> {
                for (int i = 0; i < 3; i++) pool.submit(() -> { });
            });
            pool.shutdownNow();
            assertEmpties(c);
        } finally {
            release.countDown();
        }
    }

    @Test
    void forkJoinCancel() throws Exception {
        CountDownLatch held = new CountDownLatch(1), release = new CountDownLatch(1);
        ForkJoinPool pool = heldForkJoin(held, release);
        try {
            ForkJoinTask<?>[] t = new ForkJoinTask<?>[1];
            Contract c = inContract(() -> t[0] = pool.submit(() -> { }));
            assertTrue(t[0].cancel(false));
            assertEmpties(c);
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    // ------------------------------------------------------------------ decorateTask wrappers

    /** Like the JSR-166 TCK's CustomExecutor: every task wrapped in a delegating RunnableScheduledFuture. */
    static final class WrappingExecutor extends ScheduledThreadPoolExecutor {
        WrappingExecutor() {
            super(1);
        }

        static final class Wrapper<V> implements RunnableScheduledFuture<V> {
            private final RunnableScheduledFuture<V> task;

            Wrapper(RunnableScheduledFuture<V> task) {
                this.task = task;
            }

            public boolean isPeriodic() {
                return task.isPeriodic();
            }

            public void run() {
                task.run();
            }

            public long getDelay(TimeUnit unit) {
                return task.getDelay(unit);
            }

            public int compareTo(Delayed o) {
                return task.compareTo(((Wrapper<?>) o).task);
            }

            public boolean cancel(boolean mayInterruptIfRunning) {
                return task.cancel(mayInterruptIfRunning);
            }

            public boolean isCancelled() {
                return task.isCancelled();
            }

            public boolean isDone() {
                return task.isDone();
            }

            public V get() throws InterruptedException, ExecutionException {
                return task.get();
            }

            public V get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
                return task.get(timeout, unit);
            }
        }

        @Override
        protected <V> RunnableScheduledFuture<V> decorateTask(Runnable r, RunnableScheduledFuture<V> task) {
            return new Wrapper<>(task);
        }

        @Override
        protected <V> RunnableScheduledFuture<V> decorateTask(Callable<V> c, RunnableScheduledFuture<V> task) {
            return new Wrapper<>(task);
        }
    }

    @Test
    void decoratedCancel() throws Exception {
        WrappingExecutor ex = new WrappingExecutor();
        try {
            List<ScheduledFuture<?>> fs = new ArrayList<>();
            Contract c = inContract(() -> {
                fs.add(ex.schedule(() -> { }, 1, TimeUnit.HOURS));
                fs.add(ex.schedule(() -> 1, 1, TimeUnit.HOURS));
                fs.add(ex.scheduleAtFixedRate(() -> { }, 1, 1, TimeUnit.HOURS));
            });
            for (ScheduledFuture<?> f : fs) assertTrue(f.cancel(false));
            assertEmpties(c);
        } finally {
            ex.shutdownNow();
        }
    }

    @Test
    void decoratedPurge() throws Exception {
        WrappingExecutor ex = new WrappingExecutor();
        try {
            List<ScheduledFuture<?>> fs = new ArrayList<>();
            Contract c = inContract(() -> {
                for (int i = 0; i < 3; i++) fs.add(ex.schedule(() -> { }, 1, TimeUnit.HOURS));
            });
            for (ScheduledFuture<?> f : fs) f.cancel(false);
            ex.purge();
            assertEquals(0, ex.getQueue().size());
            assertEmpties(c);
        } finally {
            ex.shutdownNow();
        }
    }

    @Test
    void decoratedShutdown() throws Exception {
        WrappingExecutor ex = new WrappingExecutor();
        ex.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        Contract c = inContract(() -> {
            ex.schedule(() -> { }, 1, TimeUnit.HOURS);
            ex.scheduleWithFixedDelay(() -> { }, 1, 1, TimeUnit.HOURS);
        });
        ex.shutdown();
        assertTrue(ex.awaitTermination(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertEmpties(c);
    }

    @Test
    void decoratedShutdownNow() throws Exception {
        WrappingExecutor ex = new WrappingExecutor();
        Contract c = inContract(() -> {
            ex.schedule(() -> { }, 1, TimeUnit.HOURS);
            ex.schedule(() -> 2, 1, TimeUnit.HOURS);
        });
        assertEquals(2, ex.shutdownNow().size());
        assertEmpties(c);
    }

    // ------------------------------------------------------------------ ThreadPoolExecutor

    @Test
    void startedThreadFromFactory() throws Exception {
        java.util.concurrent.ThreadFactory started = r -> {
            Thread t = new Thread(() -> { });
            t.start();
            return t;
        };
        ThreadPoolExecutor tpe = new ThreadPoolExecutor(1, 1, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), started);
        ScheduledThreadPoolExecutor stpe = new ScheduledThreadPoolExecutor(1, started);
        try {
            Contract c = inContract(() -> {
                assertThrows(IllegalThreadStateException.class, () -> tpe.execute(() -> { }));
                assertThrows(IllegalThreadStateException.class, () -> stpe.schedule(() -> { }, 1, TimeUnit.HOURS));
            });
            tpe.getQueue().clear();
            assertEmpties(c);
        } finally {
            tpe.shutdownNow();
            stpe.shutdownNow();
        }
    }

    /** A one-thread pool held busy from outside, so that the member's tasks queue. */
    static ThreadPoolExecutor heldPool(CountDownLatch release) {
        ThreadPoolExecutor p = new ThreadPoolExecutor(1, 1, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
        CountDownLatch held = new CountDownLatch(1);
        p.execute(() -> {
            held.countDown();
            await(release);
        });
        await(held);
        return p;
    }

    @Test
    void tpeRemove() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ThreadPoolExecutor p = heldPool(release);
        try {
            Runnable r = () -> { };
            Contract c = inContract(() -> p.execute(r));
            assertTrue(p.remove(r));
            assertEmpties(c);
        } finally {
            release.countDown();
            p.shutdownNow();
        }
    }

    @Test
    void tpePurge() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ThreadPoolExecutor p = heldPool(release);
        try {
            Future<?>[] f = new Future<?>[1];
            Contract c = inContract(() -> f[0] = p.submit(() -> { }));
            f[0].cancel(false);
            p.purge();
            assertEquals(0, p.getQueue().size());
            assertEmpties(c);
        } finally {
            release.countDown();
            p.shutdownNow();
        }
    }

    @Test
    void tpeShutdownNow() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ThreadPoolExecutor p = heldPool(release);
        try {
            Contract c = inContract(() -> {
                p.execute(() -> { });
                p.execute(new FutureTask<>(() -> 1));
            });
            assertEquals(2, p.shutdownNow().size());
            assertEmpties(c);
        } finally {
            release.countDown();
        }
    }
}
