package io.jcontract.agent;

import io.jcontract.Contract;
import io.jcontract.ContractEvent;
import io.jcontract.ContractKilledException;
import io.jcontract.ContractTemplate;
import io.jcontract.Contracts;
import io.jcontract.EventListener;
import io.jcontract.EventType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.Timer;
import java.util.TimerTask;
import java.util.concurrent.*;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.*;

/** Runs with the agent attached (see agent/pom.xml): unmodified code forks members. */
@Timeout(30)
class AgentTest {
    static final Duration WAIT = Duration.ofSeconds(10);

    /** A contract whose first member (a plain platform thread) runs {@code body} once a listener is open. */
    static final class Run implements AutoCloseable {
        final Contract contract;
        final EventListener events;
        final List<ContractEvent> seen = new ArrayList<>();
        final Set<Integer> ids = ConcurrentHashMap.newKeySet();
        private final CountDownLatch go = new CountDownLatch(1);
        /** An assertion that failed in the first member: rethrown to the test by close(). */
        private final AtomicReference<AssertionError> failed = new AtomicReference<>();

        Run(ContractTemplate terms, Runnable body) {
            try (var a = terms.activate()) {
                new Thread(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    try {
                        body.run();
                    } catch (AssertionError e) {
                        failed.compareAndSet(null, e);
                        throw e;            // the member still dies of it (a CORE), as before
                    }
                }).start();
                contract = Contracts.latest();
            }
            events = contract.events();
        }

        /** Lets the body run (after the test has stored this Run where the body can see it). */
        void go() {
            go.countDown();
        }

        Run(Runnable body) {
            this(ContractTemplate.process().informative(EventType.FORK, EventType.EXIT, EventType.CORE,
                    EventType.SIGNAL), body);
        }

        void note() {
            ids.add(Contracts.current().id());
        }

        /** Reads events until EMPTY. */
        List<ContractEvent> untilEmpty() throws Exception {
            go();
            for (;;) {
                ContractEvent e = events.take(WAIT);
                seen.add(e);
                if (e instanceof ContractEvent.Empty) return seen;
            }
        }

        long count(Class<? extends ContractEvent> type) {
            return seen.stream().filter(type::isInstance).count();
        }

        @Override
        public void close() {
            events.close();
            contract.abandon();
            AssertionError e = failed.get();
            if (e != null) throw new AssertionError("an assertion failed inside a member: " + e.getMessage(), e);
        }
    }

    static void await(CountDownLatch l) {
        try {
            if (!l.await(WAIT.toSeconds(), TimeUnit.SECONDS)) throw new AssertionError("latch timed out");
        } catch (InterruptedException e) {
            throw new RuntimeException(e);
        }
    }

    /** An assertion that fails inside a member must fail the test, not only become a CORE event. */
    @Test
    void aFailedAssertionInsideAMemberReachesTheTest() {
        AssertionError e = assertThrows(AssertionError.class, () -> {
            try (Run run = new Run(() -> fail("failed inside the member"))) {
                run.untilEmpty();
            }
        });
        assertTrue(String.valueOf(e.getMessage()).contains("failed inside the member")
                || (e.getCause() != null && e.getCause().getMessage().contains("failed inside the member")), e.toString());
    }

    @Test
    void coreClassesComeFromTheBootstrapLoaderEvenWithCoreOnTheClassPath() throws Exception {
        // the boot jar: the bootstrap loader; the lookup bridge: the application loader, which has the agent jar
        ClassLoader core = AgentMode.coreLoader();
        assertSame(core, Contracts.class.getClassLoader());
        assertSame(core, io.jcontract.internal.ContractTable.class.getClassLoader());
        assertSame(core, io.jcontract.agent.boot.Bridge.class.getClassLoader());
        // jcontract-core is on this test's class path too: the app loader still answers with the one copy
        assertNotNull(ClassLoader.getSystemClassLoader().getResource("io/jcontract/Contracts.class"));
        assertSame(Contracts.class, Class.forName("io.jcontract.Contracts", false, ClassLoader.getSystemClassLoader()));
    }

    @Test
    void platformThreadsAndSubclassesAreMembers() throws Exception {
        Run[] r = new Run[1];
        try (Run run = r[0] = new Run(() -> {
            r[0].note();
            new Thread(() -> r[0].note()).start();
            new Thread() {
                @Override
                public void run() {
                    r[0].note();
                }
            }.start();
        })) {
            run.untilEmpty();
            assertEquals(Set.of(run.contract.view().id()), run.ids, () -> run.seen.toString());
            assertEquals(3, run.count(ContractEvent.Exit.class));
            assertEquals(2, run.count(ContractEvent.Fork.class));   // the first member's FORK precedes the listener
            assertTrue(run.seen.stream().filter(e -> e instanceof ContractEvent.Exit).allMatch(e -> ((ContractEvent.Exit) e).status() == 0));
        }
    }

    @Test
    void virtualThreadsAreMembers() throws Exception {
        Run[] r = new Run[1];
        try (Run run = r[0] = new Run(() -> {
            Thread.ofVirtual().start(r[0]::note);
            Thread.startVirtualThread(r[0]::note);
            Thread.ofVirtual().name("v-", 0).factory().newThread(r[0]::note).start();
            try (var ex = Executors.newVirtualThreadPerTaskExecutor()) {
                ex.submit(r[0]::note);
            }
            try (var ex = Executors.newThreadPerTaskExecutor(Thread.ofPlatform().factory())) {
                ex.submit(r[0]::note);
            }
        })) {
            run.untilEmpty();
            assertEquals(Set.of(run.contract.view().id()), run.ids, () -> run.seen.toString());
            assertEquals(6, run.count(ContractEvent.Exit.class));
        }
    }

    @Test
    void threadPoolTasksAreMembersAndWorkersAreNot() throws Exception {
        ExecutorService[] pool = new ExecutorService[1];
        Run[] r = new Run[1];
        pool[0] = Executors.newFixedThreadPool(2);   // made outside the contract: a shared pool, not owned
        try (Run run = r[0] = new Run(() -> {
            pool[0].execute(r[0]::note);
            pool[0].submit(r[0]::note);
            pool[0].submit(() -> {
                r[0].note();
                return 1;
            });
        })) {
            run.untilEmpty();       // the pool is still up: its workers are not members
            assertEquals(Set.of(run.contract.view().id()), run.ids, () -> run.seen.toString());
            assertEquals(4, run.count(ContractEvent.Exit.class));
        } finally {
            pool[0].shutdown();
        }
    }

    @Test
    void scheduledOneShotAndPeriodic() throws Exception {
        ScheduledExecutorService[] pool = new ScheduledExecutorService[1];
        AtomicInteger runs = new AtomicInteger();
        Run[] r = new Run[1];
        pool[0] = Executors.newScheduledThreadPool(1);   // made outside the contract: a shared pool, not owned
        try (Run run = r[0] = new Run(() -> {
            pool[0].schedule(r[0]::note, 1, TimeUnit.MILLISECONDS);
            ScheduledFuture<?>[] f = new ScheduledFuture<?>[1];
            CountDownLatch three = new CountDownLatch(3);
            f[0] = pool[0].scheduleAtFixedRate(() -> {
                r[0].note();
                runs.incrementAndGet();
                three.countDown();
            }, 0, 1, TimeUnit.MILLISECONDS);
            await(three);
            f[0].cancel(false);
        })) {
            run.untilEmpty();
            assertEquals(Set.of(run.contract.view().id()), run.ids, () -> run.seen.toString());
            assertTrue(runs.get() >= 3);
            assertTrue(run.count(ContractEvent.Exit.class) >= 1 + 1 + 3);
        } finally {
            pool[0].shutdown();
        }
    }

    static final class Sum extends RecursiveTask<Integer> {
        final int lo, hi;
        final Run run;

        Sum(Run run, int lo, int hi) {
            this.run = run;
            this.lo = lo;
            this.hi = hi;
        }

        @Override
        protected Integer compute() {
            run.note();
            if (hi - lo <= 4) return IntStream.range(lo, hi).sum();
            int mid = (lo + hi) / 2;
            Sum left = new Sum(run, lo, mid);
            left.fork();
            return new Sum(run, mid, hi).compute() + left.join();
        }
    }

    @Test
    void forkJoinTasksAreMembers() throws Exception {
        ForkJoinPool[] pool = new ForkJoinPool[1];
        AtomicReference<Integer> sum = new AtomicReference<>();
        Run[] r = new Run[1];
        pool[0] = new ForkJoinPool(2);   // made outside the contract: a shared pool, not owned
        try (Run run = r[0] = new Run(() -> {
            sum.set(pool[0].invoke(new Sum(r[0], 0, 64)));
            pool[0].execute(r[0]::note);
            ForkJoinPool.commonPool().submit(r[0]::note);
            int s = IntStream.range(0, 1000).parallel().map(i -> {
                r[0].note();
                return i;
            }).sum();
            assertEquals(499500, s);
        })) {
            run.untilEmpty();
            assertEquals(IntStream.range(0, 64).sum(), sum.get());
            assertEquals(Set.of(run.contract.view().id()), run.ids, () -> run.seen.toString());
            assertTrue(run.count(ContractEvent.Exit.class) > 3);
        } finally {
            pool[0].shutdown();
        }
    }

    @Test
    void completableFutureAsyncStagesAreMembers() throws Exception {
        ExecutorService[] pool = new ExecutorService[1];
        Run[] r = new Run[1];
        pool[0] = Executors.newSingleThreadExecutor();   // made outside the contract: a shared pool, not owned
        try (Run run = r[0] = new Run(() -> {
            CompletableFuture.supplyAsync(() -> {
                r[0].note();
                return 1;
            }).thenApplyAsync(x -> {
                r[0].note();
                return x + 1;
            }).thenAcceptAsync(x -> r[0].note(), pool[0]).join();
            CompletableFuture.runAsync(r[0]::note).join();
        })) {
            run.untilEmpty();
            assertEquals(Set.of(run.contract.view().id()), run.ids, () -> run.seen.toString());
        } finally {
            pool[0].shutdown();
        }
    }

    @Test
    void timerTasksAreMembers() throws Exception {
        Timer[] timer = new Timer[1];
        Run[] r = new Run[1];
        timer[0] = new Timer(true);   // made outside the contract: a shared pool, not owned
        try (Run run = r[0] = new Run(() -> {
            CountDownLatch two = new CountDownLatch(3);
            timer[0].schedule(new TimerTask() {
                public void run() {
                    r[0].note();
                    two.countDown();
                }
            }, 1);
            TimerTask periodic = new TimerTask() {
                public void run() {
                    r[0].note();
                    two.countDown();
                }
            };
            timer[0].schedule(periodic, 0, 1);
            await(two);
            periodic.cancel();
        })) {
            run.untilEmpty();      // the Timer thread lives on: it is a worker, not a member
            assertEquals(Set.of(run.contract.view().id()), run.ids, () -> run.seen.toString());
        } finally {
            timer[0].cancel();
        }
    }

    @Test
    void coreInAPooledTaskKillsEveryMemberOnEveryPool() throws Exception {
        ExecutorService[] pools = new ExecutorService[2];
        var terms = ContractTemplate.process().critical(EventType.EMPTY, EventType.CORE).fatal(EventType.CORE);
        CountDownLatch blocked = new CountDownLatch(2);
        try (Run run = new Run(terms, () -> {
            pools[0] = Executors.newFixedThreadPool(1);
            pools[1] = Executors.newCachedThreadPool();
            pools[1].submit(() -> {
                blocked.countDown();
                Thread.sleep(60_000);
                return null;
            });
            Thread.ofVirtual().start(() -> {
                blocked.countDown();
                LockSupport.park();
                while (!Thread.currentThread().isInterrupted()) LockSupport.park();
            });
            await(blocked);
            pools[0].execute(() -> {
                throw new IllegalStateException("boom");
            });
        })) {
            run.go();
            ContractEvent core = run.events.takeCritical(WAIT);
            assertInstanceOf(ContractEvent.Core.class, core);
            assertEquals("boom", ((ContractEvent.Core) core).cause().getMessage());
            run.contract.ack(core);
            assertInstanceOf(ContractEvent.Empty.class, run.events.takeCritical(WAIT));
        } finally {
            for (ExecutorService p : pools) if (p != null) p.shutdownNow();
        }
    }

    @Test
    void vmErrorIsHwErrAndOutsideInterruptIsSignal() throws Exception {
        var terms = ContractTemplate.process().critical(EventType.EMPTY, EventType.HWERR, EventType.SIGNAL)
                .fatal(EventType.HWERR);
        try (Run run = new Run(terms, () -> {
            throw new OutOfMemoryError("test");
        })) {
            run.go();
            assertInstanceOf(ContractEvent.HwErr.class, run.events.takeCritical(WAIT));
        }
        CountDownLatch sleeping = new CountDownLatch(1);
        AtomicReference<Thread> member = new AtomicReference<>();
        try (Run run = new Run(ContractTemplate.process().critical(EventType.EMPTY, EventType.SIGNAL), () -> {
            member.set(Thread.currentThread());
            sleeping.countDown();
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                throw new RuntimeException("interrupted", e);
            }
        })) {
            run.go();
            await(sleeping);
            Thread outsider = new Thread(() -> member.get().interrupt());   // a member of the root contract
            outsider.start();
            outsider.join();
            ContractEvent e = run.events.takeCritical(WAIT);
            assertInstanceOf(ContractEvent.Signal.class, e);
            assertEquals(outsider.threadId(), ((ContractEvent.Signal) e).sender());
        }
    }

    @Test
    void killReinterruptsAtTheNextBlockingCallAndForbidsForks() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        AtomicInteger interrupts = new AtomicInteger();
        AtomicReference<Throwable> forkFailure = new AtomicReference<>();
        try (Run run = new Run(() -> {
            started.countDown();
            for (int i = 0; i < 2; i++) {
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException swallowed) {
                    interrupts.incrementAndGet();
                }
            }
            try {
                new Thread(() -> { }).start();
            } catch (Throwable t) {
                forkFailure.set(t);
            }
            try {
                ForkJoinPool.commonPool().execute(() -> { });
            } catch (Throwable t) {
                forkFailure.compareAndSet(null, t);
            }
        })) {
            run.go();
            await(started);
            var report = run.contract.kill().awaitEmpty(WAIT);
            assertTrue(report.empty(), report.toString());
            assertEquals(2, interrupts.get());
            assertInstanceOf(ContractKilledException.class, forkFailure.get());
        }
    }

    /**
     * {@code StructuredTaskScope} (a preview API in JDK 25, whose shape changes between releases):
     * reached reflectively, since the project compiles for 21. Its subtasks are virtual threads the
     * scope starts, so they fork like any thread start. Skipped on other JDKs.
     */
    @Test
    void structuredTaskScopeSubtasksAreMembers() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Runtime.version().feature() == 25, "JDK 25 preview API shape");
        Class<?> sts = Class.forName("java.util.concurrent.StructuredTaskScope");
        var open = sts.getMethod("open");
        var fork = sts.getMethod("fork", Callable.class);
        var join = sts.getMethod("join");
        var close = sts.getMethod("close");
        var get = Class.forName("java.util.concurrent.StructuredTaskScope$Subtask").getMethod("get");
        List<Object> results = new CopyOnWriteArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Run[] r = new Run[1];
        try (Run run = r[0] = new Run(() -> {
            try {
                Object scope = open.invoke(null);
                try {
                    List<Object> subtasks = new ArrayList<>();
                    for (int i = 0; i < 3; i++) {
                        int n = i;
                        subtasks.add(fork.invoke(scope, (Callable<Integer>) () -> {
                            r[0].note();
                            assertTrue(Thread.currentThread().isVirtual());
                            return n;
                        }));
                    }
                    join.invoke(scope);
                    for (Object st : subtasks) results.add(get.invoke(st));
                } finally {
                    close.invoke(scope);
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        })) {
            run.untilEmpty();
            assertNull(failure.get());
            assertEquals(List.of(0, 1, 2), results);
            assertEquals(Set.of(run.contract.view().id()), run.ids, () -> run.seen.toString());
            assertEquals(3, run.count(ContractEvent.Fork.class), () -> run.seen.toString());
            assertEquals(4, run.count(ContractEvent.Exit.class), () -> run.seen.toString());
        }
    }

    // ----------------------------------------------------------------- rejection: no lost tasks, no stuck members

    /** A pool with one worker and a one-slot queue, the worker held on {@code gate}. */
    /** One worker, room for one queued task; made by the test thread, so no contract owns it. */
    static ThreadPoolExecutor saturable(RejectedExecutionHandler h) {
        return new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1), h);
    }

    static ThreadPoolExecutor saturated(ThreadPoolExecutor pool, CountDownLatch running, CountDownLatch gate) {
        pool.execute(() -> {
            running.countDown();
            await(gate);
        });
        await(running);
        return pool;
    }

    @Test
    void abortPolicyRejectsAndTheContractStillEmpties() throws Exception {
        CountDownLatch running = new CountDownLatch(1), gate = new CountDownLatch(1);
        AtomicReference<Throwable> rejected = new AtomicReference<>();
        AtomicInteger ran = new AtomicInteger();
        ThreadPoolExecutor[] pool = new ThreadPoolExecutor[1];
        pool[0] = saturable(new ThreadPoolExecutor.AbortPolicy());   // made outside the contract: a shared pool, not owned
        try (Run run = new Run(() -> {
            saturated(pool[0], running, gate);
            pool[0].execute(ran::incrementAndGet);          // queued
            try {
                pool[0].execute(ran::incrementAndGet);      // no room
            } catch (RejectedExecutionException e) {
                rejected.set(e);
            }
            gate.countDown();
        })) {
            run.untilEmpty();
            assertInstanceOf(RejectedExecutionException.class, rejected.get());
            assertEquals(1, ran.get());
            assertEquals(3, run.count(ContractEvent.Exit.class), () -> run.seen.toString()); // body, blocker, queued
        } finally {
            gate.countDown();
            pool[0].shutdown();
        }
    }

    @Test
    void callerRunsPolicyRunsTheTaskInTheCallerAsAMemberOfItsContract() throws Exception {
        CountDownLatch running = new CountDownLatch(1), gate = new CountDownLatch(1);
        AtomicReference<Thread> caller = new AtomicReference<>(), ranOn = new AtomicReference<>();
        AtomicInteger ranIn = new AtomicInteger(-1);
        ThreadPoolExecutor[] pool = {saturable(new ThreadPoolExecutor.CallerRunsPolicy())};   // a shared pool, not owned
        try (Run run = new Run(() -> {
            caller.set(Thread.currentThread());
            saturated(pool[0], running, gate);
            pool[0].execute(() -> { });
            pool[0].execute(() -> {
                ranOn.set(Thread.currentThread());
                ranIn.set(Contracts.current().id());
            });
            gate.countDown();
        })) {
            run.untilEmpty();
            assertSame(caller.get(), ranOn.get());
            assertEquals(run.contract.view().id(), ranIn.get());
        } finally {
            gate.countDown();
            pool[0].shutdown();
        }
    }

    @Test
    void discardPoliciesLeaveNoPendingMemberBehind() throws Exception {
        for (RejectedExecutionHandler h : List.of(new ThreadPoolExecutor.DiscardPolicy(),
                new ThreadPoolExecutor.DiscardOldestPolicy())) {
            CountDownLatch running = new CountDownLatch(1), gate = new CountDownLatch(1);
            List<String> ran = new CopyOnWriteArrayList<>();
            ThreadPoolExecutor[] pool = new ThreadPoolExecutor[1];
            pool[0] = saturable(h);   // made outside the contract: a shared pool, not owned
            try (Run run = new Run(() -> {
                saturated(pool[0], running, gate);
                pool[0].execute(() -> ran.add("first"));
                pool[0].execute(() -> ran.add("second"));    // discarded, or makes "first" discarded
                Future<?> f = pool[0].submit(() -> ran.add("third"));
                gate.countDown();
                if (h instanceof ThreadPoolExecutor.DiscardOldestPolicy) {
                    try {
                        f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                }
            })) {
                run.untilEmpty();
                if (h instanceof ThreadPoolExecutor.DiscardPolicy) assertEquals(List.of("first"), ran);
                else assertEquals(List.of("third"), ran);
                assertEquals(0, run.contract.view().status(io.jcontract.StatusDetail.ALL).members().size());
            } finally {
                gate.countDown();
                pool[0].shutdown();
            }
        }
    }

    // ----------------------------------------------------------------- a task leaves before its Future completes

    @Test
    void aPooledTaskLeavesItsContractBeforeItsFutureCompletes() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        ScheduledExecutorService ses = Executors.newSingleThreadScheduledExecutor();
        List<String> failures = new CopyOnWriteArrayList<>();
        AtomicInteger iterations = new AtomicInteger();
        try (Run run = new Run(() -> {
            for (int i = 0; i < 200; i++) {
                try {
                    Future<Integer> f = switch (i % 4) {
                        case 0 -> pool.submit(() -> 1);
                        case 1 -> pool.submit(() -> {
                            throw new IllegalStateException("failed on purpose");
                        });
                        case 2 -> pool.submit(() -> { }, 2);
                        default -> ses.schedule(() -> 3, 0, TimeUnit.MILLISECONDS);
                    };
                    try {
                        f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                    } catch (ExecutionException expected) {
                        assertEquals(1, i % 4);
                    }
                    var members = Contracts.current().status(io.jcontract.StatusDetail.ALL).members();
                    if (members.stream().anyMatch(io.jcontract.MemberInfo::task) && failures.size() < 5)
                        failures.add("iteration " + i + ": " + members);
                    iterations.incrementAndGet();
                } catch (Exception e) {
                    failures.add("iteration " + i + ": " + e);
                }
            }
        })) {
            run.untilEmpty();
            assertEquals(List.of(), failures);
            assertEquals(200, iterations.get());
            assertEquals(201, run.count(ContractEvent.Exit.class));
            assertEquals(0, run.count(ContractEvent.Core.class));
        } finally {
            pool.shutdown();
            ses.shutdown();
        }
    }

    // ----------------------------------------------------------------- CompletableFuture stage failures

    @Test
    void aFailingAsyncStageExitsWithStatusOneAndItsThrowableButNoCore() throws Exception {
        ExecutorService[] pool = {Executors.newSingleThreadExecutor()};   // made outside: a shared pool, not owned
        IllegalStateException supplied = new IllegalStateException("supply"), applied = new IllegalStateException("apply"),
                ran = new IllegalStateException("run");
        try (Run run = new Run(ContractTemplate.process().informative(EventType.FORK, EventType.EXIT)
                .critical(EventType.EMPTY, EventType.CORE).fatal(EventType.CORE), () -> {
            var a = CompletableFuture.supplyAsync(() -> {
                throw supplied;
            });
            var b = CompletableFuture.completedFuture(1).thenApplyAsync(x -> {
                throw applied;
            }, pool[0]);
            var c = CompletableFuture.runAsync(() -> {
                throw ran;
            }, pool[0]);
            for (var f : List.of(a, b, c)) {
                try {
                    f.join();
                } catch (CompletionException expected) {
                }
            }
        })) {
            run.untilEmpty();
            assertEquals(0, run.count(ContractEvent.Core.class), () -> run.seen.toString());
            var causes = run.seen.stream().filter(e -> e instanceof ContractEvent.Exit x && x.status() == 1)
                    .map(e -> ((ContractEvent.Exit) e).cause()).toList();
            assertEquals(Set.of(supplied, applied, ran), Set.copyOf(causes), () -> run.seen.toString());
            assertEquals(3, causes.size());
        } finally {
            pool[0].shutdown();
        }
    }

    /** A component the test does not control: its own executor and timer, created internally. */
    static final class Library {
        final ScheduledExecutorService ses = Executors.newScheduledThreadPool(2);
        final Timer timer = new Timer("library-timer", true);
        final AtomicInteger ticks = new AtomicInteger();

        void start() {
            ses.scheduleWithFixedDelay(ticks::incrementAndGet, 0, 1, TimeUnit.MILLISECONDS);
            timer.schedule(new TimerTask() {
                public void run() {
                    ticks.incrementAndGet();
                }
            }, 0, 1);
            ses.submit(() -> {
                Thread.sleep(60_000);
                return null;
            });
            Thread.ofVirtual().start(() -> {
                try {
                    new CountDownLatch(1).await();
                } catch (InterruptedException ignored) {
                }
            });
        }
    }

    @Test
    void killingALibraryComponentEndsItsThreadsAndTasks() throws Exception {
        Library[] lib = new Library[1];
        CountDownLatch up = new CountDownLatch(1);
        try (Run run = new Run(() -> {
            lib[0] = new Library();
            lib[0].start();
            up.countDown();
        })) {
            run.go();
            await(up);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (lib[0].ticks.get() < 5 && System.nanoTime() < deadline) Thread.onSpinWait();
            var report = run.contract.kill().awaitEmpty(WAIT);
            assertTrue(report.empty(), report.toString());
            assertTrue(lib[0].ticks.get() >= 5);
        } finally {
            lib[0].ses.shutdownNow();
            lib[0].timer.cancel();
        }
    }
}
