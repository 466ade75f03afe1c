package io.jcontract;

import static io.jcontract.LifecycleTestKit.ROOT;
import static io.jcontract.LifecycleTestKit.await;
import static io.jcontract.LifecycleTestKit.awaitIgnoringInterrupts;
import static io.jcontract.LifecycleTestKit.first;
import static io.jcontract.LifecycleTestKit.is;
import static io.jcontract.LifecycleTestKit.ofType;
import static io.jcontract.LifecycleTestKit.readUntil;
import static io.jcontract.LifecycleTestKit.verbose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jcontract.ContractEvent.Core;
import io.jcontract.ContractEvent.Exit;
import io.jcontract.ContractEvent.Fork;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Pooled tasks (SEMANTICS Part 2): membership while running, FORK/EXIT, pending tasks, kill, settling. */
@Timeout(30)
class ExecutorTest {
    private final LifecycleTestKit.Cleanup cleanup = new LifecycleTestKit.Cleanup();
    private final List<ExecutorService> pools = new ArrayList<>();

    /** Swallows the throwables that execute()d tasks let escape to workers, to keep the log readable. */
    private static final Thread.UncaughtExceptionHandler QUIET = (t, e) -> { };

    enum Pool {
        FIXED_2 {
            @Override
            ExecutorService create() {
                ThreadFactory f = Thread.ofPlatform().name("fixed-", 0).uncaughtExceptionHandler(QUIET).factory();
                return Executors.newFixedThreadPool(2, f);
            }
        },
        FORK_JOIN {
            @Override
            ExecutorService create() {
                return new ForkJoinPool(2, ForkJoinPool.defaultForkJoinWorkerThreadFactory, QUIET, false);
            }
        },
        VIRTUAL_PER_TASK {
            @Override
            ExecutorService create() {
                return Executors.newVirtualThreadPerTaskExecutor();
            }

            @Override
            boolean reusesWorkers() {
                return false;
            }
        };

        abstract ExecutorService create();

        boolean reusesWorkers() {
            return true;
        }
    }

    private ExecutorService raw(ExecutorService pool) {
        pools.add(pool);
        return pool;
    }

    @AfterEach
    void cleanUp() throws InterruptedException {
        cleanup.close();
        for (ExecutorService p : pools) {
            p.shutdownNow();
            assertTrue(p.awaitTermination(5, TimeUnit.SECONDS), p + " did not terminate");
        }
        ContractTemplate.clear();
    }

    /**
     * A contract whose first member (a virtual thread) runs {@code submitter}
     * and then waits until {@code hold} opens, so that the contract does not
     * empty on the submitter's account before the test is done with it.
     */
    private Contract submitterContract(ContractTemplate terms, Consumer<Long> submitter, CountDownLatch hold,
                                       AtomicReference<Thread> member) {
        CountDownLatch submitted = cleanup.latch();
        Contract c;
        try (var active = terms.activate()) {
            member.set(cleanup.thread(ContractThreads.startVirtual(() -> {
                submitter.accept(Thread.currentThread().threadId());
                submitted.countDown();
                if (hold != null) await(hold);
            })));
            c = cleanup.contract(Contracts.latest());
        }
        await(submitted);
        return c;
    }

    /** A raw single-thread pool whose worker is blocked (until {@code release}) by a plain first task. */
    private ExecutorService blockedSingleThreadPool(CountDownLatch release) {
        ExecutorService pool = raw(Executors.newSingleThreadExecutor(
                Thread.ofPlatform().name("single").uncaughtExceptionHandler(QUIET).factory()));
        CountDownLatch blocking = cleanup.latch();
        pool.execute(() -> {
            blocking.countDown();
            await(release);
        });
        await(blocking);
        return pool;
    }

    // ------------------------------------------------------------------ membership

    @ParameterizedTest
    @EnumSource(Pool.class)
    void aTaskIsAMemberOfTheSubmittersContractOnlyWhileItRuns(Pool kind) throws Exception {
        ExecutorService raw = raw(kind.create());
        ExecutorService pool = ContractExecutors.wrap(raw);
        try (EventListener bundle = Contracts.bundle()) {
            CountDownLatch hold = cleanup.latch(), taskUp = cleanup.latch(), taskHold = cleanup.latch();
            AtomicInteger seenInTask = new AtomicInteger();
            AtomicReference<Thread> worker = new AtomicReference<>(), submitter = new AtomicReference<>();
            AtomicReference<Future<Integer>> future = new AtomicReference<>();
            AtomicInteger submitterAfter = new AtomicInteger();
            Contract c = submitterContract(verbose(), id -> {
                future.set(pool.submit(() -> {
                    worker.set(Thread.currentThread());
                    seenInTask.set(Contracts.current().id());
                    taskUp.countDown();
                    await(taskHold);
                    return Contracts.current().id();
                }));
                submitterAfter.set(Contracts.current().id());
            }, hold, submitter);
            long parent = submitter.get().threadId();
            assertEquals(c.id(), submitterAfter.get(), "submitting does not move the submitter");

            await(taskUp);
            assertEquals(c.id(), seenInTask.get(), "the running task is in the submitter's contract");
            Fork fork = (Fork) first(bundle, c.id(), e -> e instanceof Fork f && f.parent() == parent);
            assertTrue(fork.member() >= ContractEvent.TASK_ID_BASE, "a task's member id: " + fork.member());
            ContractStatus s = c.status(StatusDetail.ALL);
            MemberInfo task = s.members().stream().filter(MemberInfo::task).findFirst().orElseThrow();
            assertEquals(fork.member(), task.id());
            assertEquals(parent, task.parent());
            assertEquals(worker.get().getName(), task.name(), "a task is shown with its worker's name");
            assertEquals(2, s.members().size(), s.members().toString());
            assertEquals(0, s.pendingTasks());

            taskHold.countDown();
            assertEquals(c.id(), future.get().get(5, TimeUnit.SECONDS));
            Exit exit = (Exit) first(bundle, c.id(), is(EventType.EXIT, fork.member()));
            assertEquals(Exit.STATUS_OK, exit.status());
            assertNull(exit.cause());
            assertEquals(List.of(parent), c.status(StatusDetail.ALL).members().stream().map(MemberInfo::id).toList(),
                    "the task left when it ended");

            // The worker is not a member on the task's account: a plain task on it is in the root contract.
            long deadline = System.nanoTime() + LifecycleTestKit.WAIT.toNanos();
            boolean sameWorkerSeen = !kind.reusesWorkers();
            do {
                Future<Object[]> plain = raw.submit(() -> new Object[] {Thread.currentThread(), Contracts.current().id()});
                Object[] r = plain.get(5, TimeUnit.SECONDS);
                assertEquals(ROOT, r[1], "a plain task on " + r[0]);
                if (r[0] == worker.get()) sameWorkerSeen = true;
            } while (!sameWorkerSeen && System.nanoTime() - deadline < 0);
            assertTrue(sameWorkerSeen, "no plain task ran on the worker " + worker.get());
            hold.countDown();
        }
    }

    @ParameterizedTest
    @EnumSource(Pool.class)
    void aTaskThatThrowsThroughSubmitIsExitWithTheCauseAndNoCore(Pool kind) throws Exception {
        ExecutorService pool = ContractExecutors.wrap(raw(kind.create()));
        try (EventListener bundle = Contracts.bundle()) {
            CountDownLatch hold = cleanup.latch();
            IllegalStateException boom = new IllegalStateException("task failed");
            AtomicReference<Future<?>> future = new AtomicReference<>();
            AtomicReference<Thread> submitter = new AtomicReference<>();
            Contract c = submitterContract(verbose(), id -> future.set(pool.submit(() -> {
                throw boom;
            })), hold, submitter);
            ExecutionException failed = assertThrows(ExecutionException.class, () -> future.get().get(5, TimeUnit.SECONDS));
            assertSame(boom, failed.getCause());

            List<ContractEvent> events = readUntil(bundle, c.id(),
                    e -> e instanceof Exit x && x.member() >= ContractEvent.TASK_ID_BASE);
            Exit exit = (Exit) events.get(events.size() - 1);
            assertEquals(Exit.STATUS_FAILED, exit.status());
            assertSame(boom, exit.cause());
            assertTrue(ofType(events, EventType.CORE).isEmpty(), "the Future keeps the throwable: no CORE " + events);
            hold.countDown();
            List<ContractEvent> rest = readUntil(bundle, c.id(), is(EventType.EMPTY));
            assertTrue(ofType(rest, EventType.CORE).isEmpty(), rest.toString());
        }
    }

    @ParameterizedTest
    @EnumSource(Pool.class)
    void aTaskThatThrowsThroughExecuteIsCoreThenExit(Pool kind) throws Exception {
        ExecutorService pool = ContractExecutors.wrap(raw(kind.create()));
        try (EventListener bundle = Contracts.bundle()) {
            CountDownLatch hold = cleanup.latch();
            IllegalStateException boom = new IllegalStateException("task failed");
            AtomicReference<Thread> submitter = new AtomicReference<>();
            Contract c = submitterContract(verbose(), id -> pool.execute(() -> {
                throw boom;
            }), hold, submitter);
            List<ContractEvent> events = readUntil(bundle, c.id(),
                    e -> e instanceof Exit x && x.member() >= ContractEvent.TASK_ID_BASE);
            Exit exit = (Exit) events.get(events.size() - 1);
            Core core = (Core) ofType(events, EventType.CORE).get(0);
            assertEquals(exit.member(), core.member());
            assertSame(boom, core.cause());
            assertEquals(Exit.STATUS_FAILED, exit.status());
            assertSame(boom, exit.cause());
            hold.countDown();
        }
    }

    // ------------------------------------------------------------------ pending tasks

    @Test
    void aQueuedTaskIsPendingKeepsTheContractNonEmptyAndForksWhenItStarts() throws Exception {
        CountDownLatch release = cleanup.latch();
        ExecutorService pool = ContractExecutors.wrap(blockedSingleThreadPool(release));
        try (EventListener bundle = Contracts.bundle()) {
            AtomicReference<Thread> submitter = new AtomicReference<>();
            AtomicBoolean ran = new AtomicBoolean();
            AtomicReference<Future<?>> future = new AtomicReference<>();
            int pendingBefore = Contracts.stats().pendingTasks();
            // The submitter hands the task over and ends: only the pending task is left.
            Contract c = submitterContract(verbose(), id -> future.set(pool.submit(() -> ran.set(true))), null,
                    submitter);
            LifecycleTestKit.join(submitter.get());
            List<ContractEvent> events = readUntil(bundle, c.id(), is(EventType.EXIT, submitter.get().threadId()));
            assertTrue(ofType(events, EventType.FORK).stream().noneMatch(e -> e.member() >= ContractEvent.TASK_ID_BASE),
                    "no FORK for a task that has not started: " + events);

            ContractStatus s = c.status(StatusDetail.ALL);
            assertEquals(1, s.pendingTasks());
            assertTrue(s.members().isEmpty(), "a pending task is not a member yet: " + s.members());
            assertEquals(pendingBefore + 1, Contracts.stats().pendingTasks());
            assertTrue(bundle.poll().filter(e -> e.contractId() == c.id()).isEmpty(),
                    "no EMPTY while a task is pending");

            release.countDown();
            future.get().get(5, TimeUnit.SECONDS);
            assertTrue(ran.get());
            List<ContractEvent> after = readUntil(bundle, c.id(), is(EventType.EMPTY));
            assertEquals(List.of(EventType.FORK, EventType.EXIT, EventType.EMPTY),
                    after.stream().map(ContractEvent::type).toList());
            assertEquals(0, c.status(StatusDetail.ALL).pendingTasks());
        }
    }

    @Test
    void killCancelsQueuedTasksAndInterruptsTheRunningOne() throws Exception {
        ExecutorService raw = raw(Executors.newSingleThreadExecutor(
                Thread.ofPlatform().name("single").uncaughtExceptionHandler(QUIET).factory()));
        ExecutorService pool = ContractExecutors.wrap(raw);
        try (EventListener bundle = Contracts.bundle()) {
            CountDownLatch runningUp = cleanup.latch();
            AtomicBoolean interrupted = new AtomicBoolean(), queuedRan = new AtomicBoolean();
            List<Future<?>> queued = new ArrayList<>();
            AtomicReference<Future<?>> running = new AtomicReference<>();
            AtomicReference<Thread> submitter = new AtomicReference<>();
            Contract c = submitterContract(verbose(), id -> {
                running.set(pool.submit(() -> {
                    runningUp.countDown();
                    try {
                        Thread.sleep(Duration.ofMinutes(5));
                    } catch (InterruptedException e) {
                        interrupted.set(true);
                    }
                }));
                queued.add(pool.submit(() -> queuedRan.set(true)));
                queued.add(pool.submit(() -> {
                    queuedRan.set(true);
                    return 1;
                }));
                pool.execute(() -> queuedRan.set(true));
            }, null, submitter);
            await(runningUp);
            LifecycleTestKit.join(submitter.get());
            assertEquals(3, c.status(StatusDetail.ALL).pendingTasks());

            KillReport report = c.kill().awaitEmpty(Duration.ofSeconds(5));
            assertTrue(report.empty(), report.toString());
            assertTrue(interrupted.get(), "the running task was interrupted");
            assertEquals(0, c.status(StatusDetail.ALL).pendingTasks());
            for (Future<?> f : queued) {
                assertTrue(f.isCancelled(), "a queued task's Future is cancelled");
                assertThrows(CancellationException.class, () -> f.get(1, TimeUnit.SECONDS));
            }
            running.get().get(5, TimeUnit.SECONDS);
            // Let the worker drain its queue; the cancelled tasks must not run.
            raw.submit(() -> { }).get(5, TimeUnit.SECONDS);
            assertFalse(queuedRan.get(), "a task queued for a killed contract does not run");

            List<ContractEvent> events = readUntil(bundle, c.id(), is(EventType.EMPTY));
            List<ContractEvent> taskForks = ofType(events, EventType.FORK).stream()
                    .filter(e -> e.member() >= ContractEvent.TASK_ID_BASE).toList();
            assertEquals(1, taskForks.size(), "only the running task ever started: " + events);
            Exit exit = (Exit) events.stream().filter(is(EventType.EXIT, taskForks.get(0).member())).findFirst()
                    .orElseThrow();
            assertEquals(Exit.STATUS_KILLED, exit.status());
        }
    }

    @Test
    void aKillsInterruptNeverReachesTheWorkersNextTask() throws Exception {
        ExecutorService raw = raw(Executors.newSingleThreadExecutor());
        ExecutorService pool = ContractExecutors.wrap(raw);
        for (int i = 0; i < 200; i++) {
            CountDownLatch started = new CountDownLatch(1);
            AtomicBoolean ending = new AtomicBoolean();
            boolean blocking = i % 2 == 0;
            Contract c;
            Future<?> killed;
            // With the template active, the submitted task is the first member of a new contract.
            try (var active = ContractTemplate.process().activate()) {
                killed = pool.submit(() -> {
                    started.countDown();
                    if (blocking) {
                        try {
                            Thread.sleep(Duration.ofMinutes(5));
                        } catch (InterruptedException e) {
                            // killed
                        }
                    } else {
                        while (!ending.get()) Thread.onSpinWait();   // ends on its own, racing the kill
                    }
                });
                c = Contracts.latest();
            }
            try {
                await(started);
                // Queued behind the task the kill is aimed at: it runs on the same worker right after it.
                Future<Boolean> next = raw.submit(() -> Thread.currentThread().isInterrupted());
                ending.set(true);
                KillReport r = c.kill().awaitEmpty(Duration.ofSeconds(5));
                assertTrue(r.empty(), r.toString());
                assertFalse(next.get(5, TimeUnit.SECONDS), "iteration " + i + ": the kill's interrupt leaked");
                killed.get(5, TimeUnit.SECONDS);
                assertFalse(raw.submit(() -> Thread.currentThread().isInterrupted()).get(5, TimeUnit.SECONDS),
                        "iteration " + i);
            } finally {
                ending.set(true);
                c.abandon();
            }
            assertEquals(ContractState.DEAD, c.state());
        }
    }

    @Test
    void aRejectedTaskThrowsAndLeavesNoPendingTask() throws Exception {
        ExecutorService raw = raw(Executors.newSingleThreadExecutor());
        raw.shutdown();
        ExecutorService pool = ContractExecutors.wrap(raw);
        try (EventListener bundle = Contracts.bundle()) {
            CountDownLatch hold = cleanup.latch();
            List<Throwable> failures = new ArrayList<>();
            AtomicReference<Thread> submitter = new AtomicReference<>();
            AtomicBoolean ran = new AtomicBoolean();
            Contract c = submitterContract(verbose(), id -> {
                for (Runnable attempt : List.<Runnable>of(() -> pool.submit(() -> ran.set(true)),
                        () -> pool.execute(() -> ran.set(true)))) {
                    try {
                        attempt.run();
                        failures.add(null);
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }
            }, hold, submitter);
            assertEquals(2, failures.size());
            for (Throwable f : failures) assertInstanceOf(RejectedExecutionException.class, f);
            ContractStatus s = c.status(StatusDetail.ALL);
            assertEquals(0, s.pendingTasks());
            assertEquals(List.of(submitter.get().threadId()), s.members().stream().map(MemberInfo::id).toList());

            hold.countDown();
            List<ContractEvent> events = readUntil(bundle, c.id(), is(EventType.EMPTY));
            assertEquals(submitter.get().threadId(), events.get(events.size() - 1).member(),
                    "EMPTY comes when the submitter leaves: the rejected tasks count for nothing");
            assertTrue(events.stream().noneMatch(e -> e.member() >= ContractEvent.TASK_ID_BASE), events.toString());
            assertFalse(ran.get());
        }
    }

    /**
     * With a template active, a submit forks a new contract for the task; if
     * the pool then rejects the task, the fork failed (illumos: a failed fork
     * leaves no contract), so no contract should be left behind.
     */
    @Test
    void aRejectedFirstTaskLeavesNoNewContractBehind() throws Exception {
        ExecutorService raw = raw(Executors.newSingleThreadExecutor());
        raw.shutdown();
        ExecutorService pool = ContractExecutors.wrap(raw);
        List<Integer> before = Contracts.ids();
        Contract previous = null;
        try {
            previous = Contracts.latest();
        } catch (NoSuchContractException none) {
            // this thread created nothing yet
        }
        try (var active = verbose().activate()) {
            assertThrows(RejectedExecutionException.class, () -> pool.submit(() -> { }));
        }
        List<Integer> after = Contracts.ids();
        Contract latest = Contracts.latest();
        if (previous == null || latest.id() != previous.id()) cleanup.contract(latest);
        assertEquals(before, after, "a rejected fork left a contract behind: " + latest.status(StatusDetail.ALL));
    }

    @Test
    void shutdownNowSettlesTheQueuedTasks() throws Exception {
        ExecutorService raw = raw(Executors.newSingleThreadExecutor());
        ExecutorService pool = ContractExecutors.wrap(raw);
        try (EventListener bundle = Contracts.bundle()) {
            CountDownLatch runningUp = cleanup.latch();
            AtomicBoolean queuedRan = new AtomicBoolean();
            List<Future<?>> queued = new ArrayList<>();
            AtomicReference<Thread> submitter = new AtomicReference<>();
            Runnable executed = () -> queuedRan.set(true);
            Contract c = submitterContract(verbose(), id -> {
                pool.submit(() -> {
                    runningUp.countDown();
                    try {
                        Thread.sleep(Duration.ofMinutes(5));
                    } catch (InterruptedException e) {
                        // shutdownNow interrupts the workers
                    }
                });
                queued.add(pool.submit(() -> queuedRan.set(true)));
                pool.execute(executed);
            }, null, submitter);
            await(runningUp);
            LifecycleTestKit.join(submitter.get());
            assertEquals(2, c.status(StatusDetail.ALL).pendingTasks());

            List<Runnable> never = pool.shutdownNow();
            assertEquals(2, never.size());
            assertEquals(List.of(queued.get(0), executed), never,
                    "the caller's own tasks: the Future submit returned and the Runnable given to execute");
            assertEquals(0, c.status(StatusDetail.ALL).pendingTasks(), "shutdownNow settles the queued tasks");
            assertTrue(queued.get(0).isCancelled());
            List<ContractEvent> events = readUntil(bundle, c.id(), is(EventType.EMPTY));
            assertEquals(1, ofType(events, EventType.FORK).stream()
                    .filter(e -> e.member() >= ContractEvent.TASK_ID_BASE).count(), events.toString());
            assertTrue(raw.awaitTermination(5, TimeUnit.SECONDS));
            assertFalse(queuedRan.get());
            assertTrue(c.status(StatusDetail.ALL).members().isEmpty());
        }
    }

    @Test
    void cancellingAQueuedTasksFutureSettlesIt() throws Exception {
        CountDownLatch release = cleanup.latch();
        ExecutorService raw = blockedSingleThreadPool(release);
        ExecutorService pool = ContractExecutors.wrap(raw);
        try (EventListener bundle = Contracts.bundle()) {
            AtomicBoolean ran = new AtomicBoolean();
            AtomicReference<Future<?>> future = new AtomicReference<>();
            AtomicReference<Thread> submitter = new AtomicReference<>();
            Contract c = submitterContract(verbose(), id -> future.set(pool.submit(() -> ran.set(true))), null,
                    submitter);
            LifecycleTestKit.join(submitter.get());
            readUntil(bundle, c.id(), is(EventType.EXIT, submitter.get().threadId()));
            assertEquals(1, c.status(StatusDetail.ALL).pendingTasks());

            assertTrue(future.get().cancel(false));
            assertEquals(0, c.status(StatusDetail.ALL).pendingTasks(), "a cancelled task is settled at once");
            ContractEvent empty = first(bundle, c.id(), is(EventType.EMPTY));
            assertNotEquals(submitter.get().threadId(), empty.member(), "the last to leave was the task");

            release.countDown();
            raw.submit(() -> { }).get(5, TimeUnit.SECONDS);
            assertFalse(ran.get(), "a cancelled task never runs");
            assertEquals(0, c.status(StatusDetail.ALL).pendingTasks());
            assertTrue(c.status(StatusDetail.ALL).members().isEmpty());
            assertTrue(bundle.poll().filter(e -> e.contractId() == c.id()).isEmpty(),
                    "nothing more happens in the contract");
        }
    }
}
