package io.jcontract.agent;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.*;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Well-known JDK concurrency behaviours, for code that never uses contracts.
 * The build runs this class twice (agent/pom.xml): once with the agent
 * attached and once without it, and both runs assert the results the JDK
 * specifies, so the agent changes none of them. Nothing here touches a
 * jcontract class, except the first test, which checks which run this is.
 */
@Timeout(30)
class TransparencyTest {
    static final long WAIT_S = 10;

    @Test
    void theAgentIsAttachedExactlyWhenTheBuildSaysSo() {
        boolean expected = Boolean.parseBoolean(System.getProperty("jcontract.test.expectAgent", "true"));
        assertEquals(expected, System.getProperty(JContractAgent.INSTALLED_PROPERTY) != null);
    }

    static void await(CountDownLatch l) throws InterruptedException {
        assertTrue(l.await(WAIT_S, TimeUnit.SECONDS), "latch timed out");
    }

    // ----------------------------------------------------------------- futures

    @Test
    void futures() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Integer> ok = pool.submit(() -> 42);
            assertEquals(42, ok.get());
            assertTrue(ok.isDone());
            assertEquals(Future.State.SUCCESS, ok.state());

            CountDownLatch gate = new CountDownLatch(1);
            Future<String> slow = pool.submit(() -> {
                gate.await();
                return "late";
            });
            assertThrows(TimeoutException.class, () -> slow.get(1, TimeUnit.MILLISECONDS));
            assertFalse(slow.isDone());
            gate.countDown();
            assertEquals("late", slow.get(WAIT_S, TimeUnit.SECONDS));

            IllegalStateException boom = new IllegalStateException("boom");
            Future<?> failed = pool.submit(() -> {
                throw boom;
            });
            ExecutionException ee = assertThrows(ExecutionException.class, () -> failed.get(WAIT_S, TimeUnit.SECONDS));
            assertSame(boom, ee.getCause());
            assertTrue(failed.isDone());
            assertEquals(Future.State.FAILED, failed.state());
            assertSame(boom, failed.exceptionNow());

            Future<?> runnable = pool.submit(() -> { }, "result");
            assertEquals("result", runnable.get(WAIT_S, TimeUnit.SECONDS));
        } finally {
            pool.shutdownNow();
        }
    }

    // ----------------------------------------------------------------- cancellation

    @Test
    void cancelTrueInterruptsTheRunningTask() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            CountDownLatch started = new CountDownLatch(1), interrupted = new CountDownLatch(1);
            Future<?> f = pool.submit(() -> {
                started.countDown();
                try {
                    new CountDownLatch(1).await();
                } catch (InterruptedException e) {
                    interrupted.countDown();
                }
            });
            await(started);
            assertTrue(f.cancel(true));
            assertTrue(f.isCancelled());
            assertTrue(f.isDone());
            assertThrows(CancellationException.class, f::get);
            await(interrupted);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void cancelFalseDoesNotInterrupt() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            CountDownLatch started = new CountDownLatch(1), release = new CountDownLatch(1);
            AtomicBoolean sawInterrupt = new AtomicBoolean(), finished = new AtomicBoolean();
            Future<?> f = pool.submit(() -> {
                started.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    sawInterrupt.set(true);
                }
                sawInterrupt.compareAndSet(false, Thread.currentThread().isInterrupted());
                finished.set(true);
            });
            await(started);
            assertTrue(f.cancel(false));
            release.countDown();
            // the pool's next task runs only after the cancelled one has returned
            pool.submit(() -> { }).get(WAIT_S, TimeUnit.SECONDS);
            assertTrue(finished.get());
            assertFalse(sawInterrupt.get());
            assertThrows(CancellationException.class, f::get);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aCancelledQueuedTaskNeverRuns() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            CountDownLatch gate = new CountDownLatch(1), started = new CountDownLatch(1);
            pool.submit(() -> {
                started.countDown();
                gate.await();
                return null;
            });
            await(started);
            AtomicBoolean ran = new AtomicBoolean();
            Future<?> queued = pool.submit(() -> ran.set(true));
            assertTrue(queued.cancel(false));
            gate.countDown();
            pool.submit(() -> { }).get(WAIT_S, TimeUnit.SECONDS);
            assertFalse(ran.get());
            assertTrue(queued.isCancelled());
        } finally {
            pool.shutdownNow();
        }
    }

    // ----------------------------------------------------------------- interrupt status

    @Test
    void interruptStatus() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            // a task that leaves its worker interrupted: the next task still starts with the status clear
            pool.submit(() -> Thread.currentThread().interrupt()).get(WAIT_S, TimeUnit.SECONDS);
            assertFalse(pool.submit(() -> Thread.currentThread().isInterrupted()).get(WAIT_S, TimeUnit.SECONDS));
            // an interrupt inside a task is visible to it, and to the blocking call that follows
            assertEquals("interrupted", pool.submit(() -> {
                Thread.currentThread().interrupt();
                if (!Thread.currentThread().isInterrupted()) return "lost";
                try {
                    Thread.sleep(10_000);
                    return "slept";
                } catch (InterruptedException e) {
                    return Thread.currentThread().isInterrupted() ? "still set" : "interrupted";
                }
            }).get(WAIT_S, TimeUnit.SECONDS));
            // a plain thread
            Thread.currentThread().interrupt();
            assertTrue(Thread.interrupted());
            assertFalse(Thread.currentThread().isInterrupted());
        } finally {
            pool.shutdownNow();
        }
    }

    // ----------------------------------------------------------------- ordering

    @Test
    void ordering() throws Exception {
        ExecutorService single = Executors.newSingleThreadExecutor();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Integer> order = new CopyOnWriteArrayList<>();
            List<Future<?>> fs = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                int n = i;
                fs.add(single.submit(() -> order.add(n)));
            }
            for (Future<?> f : fs) f.get(WAIT_S, TimeUnit.SECONDS);
            assertEquals(IntStream.range(0, 100).boxed().toList(), order);

            List<Callable<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                int n = i;
                calls.add(() -> {
                    if (n % 3 == 0) Thread.sleep(1);
                    return n;
                });
            }
            List<Future<Integer>> results = pool.invokeAll(calls, WAIT_S, TimeUnit.SECONDS);
            List<Integer> got = new ArrayList<>();
            for (Future<Integer> f : results) got.add(f.get());
            assertEquals(IntStream.range(0, 20).boxed().toList(), got);
            assertTrue(List.of(1, 2, 3).contains(pool.invokeAny(List.of(() -> 1, () -> 2, () -> 3))));
        } finally {
            single.shutdownNow();
            pool.shutdownNow();
        }
    }

    // ----------------------------------------------------------------- exceptions

    @Test
    void executeHandsTheThrowableToTheUncaughtExceptionHandlerAndAfterExecute() throws Exception {
        IllegalStateException boom = new IllegalStateException("boom");
        AtomicReference<Throwable> uncaught = new AtomicReference<>(), after = new AtomicReference<>();
        AtomicReference<Runnable> afterTask = new AtomicReference<>();
        CountDownLatch handled = new CountDownLatch(1);
        ThreadFactory tf = r -> {
            Thread t = new Thread(r);
            t.setUncaughtExceptionHandler((th, e) -> {
                uncaught.set(e);
                handled.countDown();
            });
            return t;
        };
        ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), tf) {
            @Override
            protected void afterExecute(Runnable r, Throwable t) {
                afterTask.set(r);
                after.set(t);
            }
        };
        try {
            Runnable task = () -> {
                throw boom;
            };
            pool.execute(task);
            await(handled);
            assertSame(boom, uncaught.get());
            assertSame(boom, after.get());
            assertSame(task, afterTask.get());       // the pool sees the caller's own Runnable

            // submit: the Future keeps the throwable, afterExecute sees null and the FutureTask
            Future<?> f = pool.submit(task);
            assertThrows(ExecutionException.class, () -> f.get(WAIT_S, TimeUnit.SECONDS));
            pool.submit(() -> { }).get(WAIT_S, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void shutdownNowReturnsTheCallersRunnables() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        CountDownLatch started = new CountDownLatch(1);
        pool.execute(() -> {
            started.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException ignored) {
            }
        });
        await(started);
        Runnable queued = () -> { };
        pool.execute(queued);
        assertEquals(List.of(queued), pool.shutdownNow());
        assertTrue(pool.awaitTermination(WAIT_S, TimeUnit.SECONDS));
    }

    // ----------------------------------------------------------------- thread names and identity

    @Test
    void threadNamesAndIdentity() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(1);
        ExecutorService custom = Executors.newSingleThreadExecutor(r -> new Thread(r, "custom-name"));
        try {
            String name = pool.submit(() -> Thread.currentThread().getName()).get(WAIT_S, TimeUnit.SECONDS);
            assertTrue(name.matches("pool-\\d+-thread-1"), name);
            assertEquals("custom-name", custom.submit(() -> Thread.currentThread().getName()).get(WAIT_S, TimeUnit.SECONDS));
            String fj = ForkJoinPool.commonPool().submit(() -> Thread.currentThread().getName()).get(WAIT_S, TimeUnit.SECONDS);
            assertTrue(fj.matches("ForkJoinPool\\.commonPool-worker-\\d+"), fj);
            // CompletableFuture's default executor: the common pool (JDK 25), a thread per task on older JDKs with parallelism 1
            String cf = CompletableFuture.supplyAsync(() -> Thread.currentThread().getName()).get(WAIT_S, TimeUnit.SECONDS);
            assertTrue(cf.matches("ForkJoinPool\\.commonPool-worker-\\d+|Thread-\\d+"), cf);

            // Thread.currentThread() is the worker, the same one for every task of a single-thread pool
            Thread w1 = pool.submit(Thread::currentThread).get(WAIT_S, TimeUnit.SECONDS);
            Thread w2 = pool.submit(Thread::currentThread).get(WAIT_S, TimeUnit.SECONDS);
            assertSame(w1, w2);
            assertNotSame(Thread.currentThread(), w1);

            AtomicReference<Thread> seen = new AtomicReference<>();
            Thread t = new Thread(() -> seen.set(Thread.currentThread()), "plain");
            t.start();
            t.join();
            assertSame(t, seen.get());
            assertEquals("plain", t.getName());
            assertEquals(Thread.State.TERMINATED, t.getState());

            Thread v = Thread.ofVirtual().name("virt").start(() -> seen.set(Thread.currentThread()));
            v.join();
            assertSame(v, seen.get());
            assertTrue(v.isVirtual());
            assertEquals("virt", v.getName());
        } finally {
            pool.shutdownNow();
            custom.shutdownNow();
        }
    }

    // ----------------------------------------------------------------- thread locals and scoped values

    @Test
    void threadLocals() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            ThreadLocal<String> tl = new ThreadLocal<>();
            pool.submit(() -> tl.set("kept")).get(WAIT_S, TimeUnit.SECONDS);
            assertEquals("kept", pool.submit(tl::get).get(WAIT_S, TimeUnit.SECONDS));
            assertNull(tl.get());

            InheritableThreadLocal<String> itl = new InheritableThreadLocal<>();
            itl.set("parent");
            try {
                AtomicReference<String> child = new AtomicReference<>();
                Thread t = new Thread(() -> child.set(itl.get()));
                t.start();
                t.join();
                assertEquals("parent", child.get());
                Thread noInherit = Thread.ofPlatform().inheritInheritableThreadLocals(false)
                        .start(() -> child.set(itl.get()));
                noInherit.join();
                assertNull(child.get());
            } finally {
                itl.remove();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    // ----------------------------------------------------------------- CompletableFuture

    @Test
    void completableFutures() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2, r -> new Thread(r, "cf-custom"));
        try {
            assertEquals(7, CompletableFuture.supplyAsync(() -> 3).thenApply(x -> x + 1).thenApplyAsync(x -> x + 3)
                    .get(WAIT_S, TimeUnit.SECONDS));

            IllegalStateException boom = new IllegalStateException("boom");
            CompletableFuture<Integer> failed = CompletableFuture.supplyAsync(() -> {
                throw boom;
            });
            ExecutionException ee = assertThrows(ExecutionException.class, () -> failed.get(WAIT_S, TimeUnit.SECONDS));
            assertSame(boom, ee.getCause());
            CompletionException ce = assertThrows(CompletionException.class, failed::join);
            assertSame(boom, ce.getCause());
            assertTrue(failed.isCompletedExceptionally());
            assertEquals(-1, failed.exceptionally(e -> {
                assertSame(boom, e instanceof CompletionException ? e.getCause() : e);
                return -1;
            }).get(WAIT_S, TimeUnit.SECONDS));
            assertEquals("boom", failed.handle((v, e) -> e.getCause().getMessage()).get(WAIT_S, TimeUnit.SECONDS));
            assertEquals(5, CompletableFuture.supplyAsync(() -> 5).handleAsync((v, e) -> e == null ? v : -1, pool)
                    .get(WAIT_S, TimeUnit.SECONDS));

            List<CompletableFuture<Integer>> many = IntStream.range(0, 10)
                    .mapToObj(i -> CompletableFuture.supplyAsync(() -> i, pool)).toList();
            CompletableFuture.allOf(many.toArray(CompletableFuture[]::new)).get(WAIT_S, TimeUnit.SECONDS);
            assertEquals(IntStream.range(0, 10).boxed().toList(), many.stream().map(CompletableFuture::join).toList());
            assertNotNull(CompletableFuture.anyOf(many.toArray(CompletableFuture[]::new)).get(WAIT_S, TimeUnit.SECONDS));

            CompletableFuture<Integer> never = new CompletableFuture<>();
            ExecutionException timeout = assertThrows(ExecutionException.class,
                    () -> never.orTimeout(5, TimeUnit.MILLISECONDS).get(WAIT_S, TimeUnit.SECONDS));
            assertInstanceOf(TimeoutException.class, timeout.getCause());
            assertEquals(9, new CompletableFuture<Integer>().completeOnTimeout(9, 5, TimeUnit.MILLISECONDS)
                    .get(WAIT_S, TimeUnit.SECONDS));

            assertEquals("cf-custom", CompletableFuture.supplyAsync(() -> Thread.currentThread().getName(), pool)
                    .get(WAIT_S, TimeUnit.SECONDS));
            assertEquals("cf-custom", CompletableFuture.completedFuture(1)
                    .thenApplyAsync(x -> Thread.currentThread().getName(), pool).get(WAIT_S, TimeUnit.SECONDS));
            AtomicInteger ran = new AtomicInteger();
            CompletableFuture.runAsync(ran::incrementAndGet, pool).thenRunAsync(ran::incrementAndGet, pool)
                    .get(WAIT_S, TimeUnit.SECONDS);
            assertEquals(2, ran.get());

            CompletableFuture<Integer> toCancel = new CompletableFuture<>();
            assertTrue(toCancel.cancel(true));
            assertThrows(CancellationException.class, toCancel::join);
            assertEquals(3, CompletableFuture.supplyAsync(() -> 1).thenCombineAsync(
                    CompletableFuture.supplyAsync(() -> 2, pool), Integer::sum).get(WAIT_S, TimeUnit.SECONDS));
            assertEquals(4, CompletableFuture.supplyAsync(() -> 2).thenComposeAsync(
                    x -> CompletableFuture.supplyAsync(() -> x * 2, pool)).get(WAIT_S, TimeUnit.SECONDS));
        } finally {
            pool.shutdownNow();
        }
    }

    // ----------------------------------------------------------------- fork/join, virtual threads, timers

    @Test
    void forkJoinAndParallelStreams() throws Exception {
        assertEquals(499500, IntStream.range(0, 1000).parallel().sum());
        ForkJoinPool fj = new ForkJoinPool(2);
        try {
            class Fib extends RecursiveTask<Integer> {
                final int n;

                Fib(int n) {
                    this.n = n;
                }

                @Override
                protected Integer compute() {
                    if (n < 2) return n;
                    Fib a = new Fib(n - 1);
                    a.fork();
                    return new Fib(n - 2).compute() + a.join();
                }
            }
            assertEquals(610, fj.invoke(new Fib(15)));
            IllegalStateException boom = new IllegalStateException("boom");
            ForkJoinTask<?> failed = fj.submit(() -> {
                throw boom;
            });
            ExecutionException ee = assertThrows(ExecutionException.class, () -> failed.get(WAIT_S, TimeUnit.SECONDS));
            // ForkJoinTask rethrows across threads a copy of the same type with the original as its cause
            Throwable cause = ee.getCause();
            assertTrue(cause == boom || cause.getClass() == boom.getClass() && cause.getCause() == boom, cause::toString);
        } finally {
            fj.shutdownNow();
        }
    }

    @Test
    void virtualThreadsAndScopedValues() throws Exception {
        try (ExecutorService vts = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Boolean>> fs = new ArrayList<>();
            for (int i = 0; i < 100; i++) fs.add(vts.submit(() -> Thread.currentThread().isVirtual()));
            for (Future<Boolean> f : fs) assertTrue(f.get(WAIT_S, TimeUnit.SECONDS));
        }
        // ScopedValue is final from JDK 25; the project compiles for 21, so it is reached reflectively.
        Class<?> svc;
        try {
            svc = Class.forName("java.lang.ScopedValue");
            if (Runtime.version().feature() < 25) return;
        } catch (ClassNotFoundException e) {
            return;
        }
        Object sv = svc.getMethod("newInstance").invoke(null);
        var isBound = svc.getMethod("isBound");
        Object carrier = svc.getMethod("where", svc, Object.class).invoke(null, sv, "bound");
        Class<?> op = Class.forName("java.lang.ScopedValue$CallableOp");
        Object body = java.lang.reflect.Proxy.newProxyInstance(op.getClassLoader(), new Class<?>[] {op}, (proxy, m, args) -> {
            if (!m.getName().equals("call")) return m.invoke(this, args);
            AtomicReference<Object> inChild = new AtomicReference<>();
            Thread t = new Thread(() -> {
                try {
                    inChild.set(isBound.invoke(sv));   // not inherited by a plain thread
                } catch (ReflectiveOperationException e) {
                    inChild.set(e);
                }
            });
            t.start();
            t.join();
            assertEquals(false, inChild.get());
            return svc.getMethod("get").invoke(sv);
        });
        assertEquals("bound", carrier.getClass().getMethod("call", op).invoke(carrier, body));
        assertEquals(false, isBound.invoke(sv));
    }

    @Test
    void timers() throws Exception {
        java.util.Timer timer = new java.util.Timer("transparency-timer", true);
        try {
            CountDownLatch fired = new CountDownLatch(3);
            AtomicReference<String> name = new AtomicReference<>();
            timer.schedule(new java.util.TimerTask() {
                @Override
                public void run() {
                    name.set(Thread.currentThread().getName());
                    fired.countDown();
                }
            }, 0, 1);
            await(fired);
            assertEquals("transparency-timer", name.get());
            java.util.TimerTask cancelled = new java.util.TimerTask() {
                @Override
                public void run() {
                }
            };
            timer.schedule(cancelled, 60_000);
            assertTrue(cancelled.cancel());
            assertFalse(cancelled.cancel());
        } finally {
            timer.cancel();
        }
    }

    @Test
    void scheduledExecutor() throws Exception {
        ScheduledExecutorService ses = Executors.newScheduledThreadPool(1);
        try {
            assertEquals("x", ses.schedule(() -> "x", 1, TimeUnit.MILLISECONDS).get(WAIT_S, TimeUnit.SECONDS));
            CountDownLatch three = new CountDownLatch(3);
            ScheduledFuture<?> p = ses.scheduleAtFixedRate(three::countDown, 0, 1, TimeUnit.MILLISECONDS);
            await(three);
            assertTrue(p.cancel(false));
            assertTrue(p.isCancelled());
            IllegalStateException boom = new IllegalStateException("boom");
            ScheduledFuture<?> failing = ses.scheduleWithFixedDelay(() -> {
                throw boom;
            }, 0, 1, TimeUnit.MILLISECONDS);
            ExecutionException ee = assertThrows(ExecutionException.class, () -> failing.get(WAIT_S, TimeUnit.SECONDS));
            assertSame(boom, ee.getCause());      // a periodic task that throws is not run again
        } finally {
            ses.shutdownNow();
        }
    }

    // ----------------------------------------------------------------- rejection

    @Test
    void rejectionPolicies() throws Exception {
        for (int policy = 0; policy < 4; policy++) {
            CountDownLatch started = new CountDownLatch(1), gate = new CountDownLatch(1);
            RejectedExecutionHandler h = switch (policy) {
                case 0 -> new ThreadPoolExecutor.AbortPolicy();
                case 1 -> new ThreadPoolExecutor.CallerRunsPolicy();
                case 2 -> new ThreadPoolExecutor.DiscardPolicy();
                default -> new ThreadPoolExecutor.DiscardOldestPolicy();
            };
            ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1), h);
            try {
                pool.execute(() -> {
                    started.countDown();
                    try {
                        gate.await();
                    } catch (InterruptedException ignored) {
                    }
                });
                await(started);
                List<String> ran = new CopyOnWriteArrayList<>();
                AtomicReference<Thread> secondOn = new AtomicReference<>();
                pool.execute(() -> ran.add("first"));
                Runnable second = () -> {
                    secondOn.set(Thread.currentThread());
                    ran.add("second");
                };
                if (policy == 0) assertThrows(RejectedExecutionException.class, () -> pool.execute(second));
                else pool.execute(second);
                gate.countDown();
                pool.shutdown();
                assertTrue(pool.awaitTermination(WAIT_S, TimeUnit.SECONDS));
                switch (policy) {
                    case 0, 2 -> assertEquals(List.of("first"), ran);
                    case 1 -> {
                        assertEquals(List.of("second", "first"), ran);
                        assertSame(Thread.currentThread(), secondOn.get());
                    }
                    default -> assertEquals(List.of("second"), ran);
                }
            } finally {
                gate.countDown();
                pool.shutdownNow();
            }
        }
    }
}
