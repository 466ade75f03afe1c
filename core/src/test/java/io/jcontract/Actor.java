package io.jcontract;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A member thread that runs what the test asks, one task at a time, on its
 * own thread: the way a test makes a particular member (a supervisor, an
 * adopter, a thread with a lowered credential) call the API. It is started
 * with {@link ContractThreads}, so it is a fork of whoever starts it: the
 * test thread (root contract, or a new contract if a template is active) or
 * another actor ({@link #spawn}: the new actor joins that actor's contract).
 *
 * <p>{@link #call} waits at most {@link LifecycleTestKit#WAIT} and rethrows
 * what the task threw, so {@code assertThrows} works across threads. The
 * actor ends when {@link #stop() stopped} (returns normally),
 * {@link #die(RuntimeException) made to die} (its body throws), or killed
 * (interrupted while waiting for work).
 */
final class Actor {
    private static final Runnable STOP = () -> { };

    private final LinkedBlockingQueue<Runnable> inbox = new LinkedBlockingQueue<>();
    private final String name;
    private volatile Thread thread;
    private volatile boolean interrupted;

    private Actor(String name) {
        this.name = name;
    }

    /** Starts an actor as a fork of the calling thread. */
    static Actor start(String name) {
        Actor a = new Actor(name);
        a.thread = ContractThreads.start(Thread.ofVirtual().name(name).uncaughtExceptionHandler(TestSupport.QUIET),
                a::loop);
        return a;
    }

    private void loop() {
        for (;;) {
            Runnable r;
            try {
                r = inbox.take();
            } catch (InterruptedException e) {
                interrupted = true;      // killed: end like a process that got SIGKILL
                return;
            }
            if (r == STOP) return;
            if (r instanceof Crash c) throw c.error;
            r.run();
        }
    }

    private record Crash(RuntimeException error) implements Runnable {
        @Override
        public void run() {
        }
    }

    /** Whether the actor ended because it was interrupted (killed) while waiting for work. */
    boolean wasInterrupted() {
        return interrupted;
    }

    Thread thread() {
        return thread;
    }

    /** The actor's member id (its thread id). */
    long id() {
        return thread.threadId();
    }

    String name() {
        return name;
    }

    /** Runs {@code body} on the actor's thread and returns its result, or rethrows what it threw. */
    <T> T call(Callable<T> body) {
        CompletableFuture<T> f = new CompletableFuture<>();
        inbox.add(() -> {
            try {
                f.complete(body.call());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        try {
            return f.get(LifecycleTestKit.WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) throw re;
            if (cause instanceof Error err) throw err;
            throw new AssertionError("task on " + name + " failed", cause);
        } catch (TimeoutException e) {
            throw new AssertionError("task on " + name + " did not finish within " + LifecycleTestKit.WAIT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Runs {@code body} on the actor's thread. */
    void run(ThrowingRunnable body) {
        call(() -> {
            body.run();
            return null;
        });
    }

    /** Hands {@code body} to the actor without waiting; the future completes with its outcome. */
    <T> CompletableFuture<T> submit(Callable<T> body) {
        CompletableFuture<T> f = new CompletableFuture<>();
        inbox.add(() -> {
            try {
                f.complete(body.call());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f;
    }

    /** Starts a new actor as a fork of this one (it joins this actor's contract unless a template is active here). */
    Actor spawn(String childName) {
        return call(() -> start(childName));
    }

    /** Makes the actor's body return (exit status 0) and waits for its thread to end. */
    void stop() {
        inbox.add(STOP);
        join();
    }

    /** Asks the actor to stop without waiting. */
    void stopAsync() {
        inbox.add(STOP);
    }

    /** Makes the actor's body throw {@code error} (CORE) and waits for its thread to end. */
    void die(RuntimeException error) {
        inbox.add(new Crash(error));
        join();
    }

    void join() {
        try {
            assertTrue(thread.join(LifecycleTestKit.WAIT), name + " did not end within " + LifecycleTestKit.WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Override
    public String toString() {
        return "actor " + name;
    }
}
