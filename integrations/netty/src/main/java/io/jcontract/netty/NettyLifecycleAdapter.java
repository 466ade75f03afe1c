package io.jcontract.netty;

import io.jcontract.Infrastructure;
import io.jcontract.LifecycleAdapter;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.netty.util.concurrent.SingleThreadEventExecutor;

import java.lang.reflect.Field;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Stops the Netty 4 event-executor groups that members of a contract
 * created (event-loop groups, {@code DefaultEventExecutorGroup}, a lone
 * event loop), when the contract is killed:
 * {@code shutdownGracefully(0, bound)}, with no quiet period, then a wait
 * for termination within the kill's bound. Found by {@code ServiceLoader}.
 *
 * <h2>Theory of operation</h2>
 * The agent hooks the constructors of {@code MultithreadEventExecutorGroup}
 * and {@code SingleThreadEventExecutor} (and so of every group and loop
 * class built on them); an event loop that belongs to a group is not owned
 * on its own, since its group's shutdown ends it. Netty's JVM-wide
 * singletons, {@code GlobalEventExecutor} and {@code ImmediateEventExecutor},
 * are infrastructure: never owned, never shut down, whoever first touched
 * them. Stateless.
 */
public final class NettyLifecycleAdapter implements LifecycleAdapter {
    private static final Set<String> CLASSES = Set.of(
            "io.netty.util.concurrent.MultithreadEventExecutorGroup",
            "io.netty.util.concurrent.SingleThreadEventExecutor",
            "io.netty.util.concurrent.GlobalEventExecutor");

    /**
     * Public for {@link java.util.ServiceLoader}. Declares the threads of Netty's
     * JVM-wide singletons infrastructure: {@code GlobalEventExecutor}'s thread
     * (which whichever thread first hands it a task starts, often an event loop
     * of a contract) and the {@code ObjectCleaner} thread; they are never
     * members, so a kill neither interrupts them nor makes their start fail.
     */
    public NettyLifecycleAdapter() {
        Infrastructure.declare(NettyLifecycleAdapter::isNettySingletonThread);
    }

    /** By name, as Netty's own factories name them (a plain method: no lambda is made inside a hook). */
    static boolean isNettySingletonThread(Thread t) {
        String n = t.getName();
        return n.startsWith("globalEventExecutor-") || n.equals("ObjectCleanerThread");
    }

    @Override
    public Set<String> lifecycleClasses() {
        return CLASSES;
    }

    @Override
    public boolean isInfrastructure(Object candidate) {
        return candidate instanceof GlobalEventExecutor || candidate instanceof ImmediateEventExecutor;
    }

    @Override
    public boolean recognises(Object candidate) {
        if (!(candidate instanceof EventExecutorGroup)) return false;
        if (candidate instanceof EventExecutor e) {
            EventExecutorGroup parent = e.parent();
            return parent == null || parent == e;
        }
        return true;
    }

    /**
     * {@code shutdownGracefully(0, bound)}, then {@code shutdown()}: a kill is not
     * graceful, and the application's own {@code shutdownGracefully()} (its
     * {@code finally}, run by the killed member as the kill's interrupt unwinds
     * it) has usually asked for Netty's default two-second quiet period first,
     * which a second graceful call cannot shorten. {@code shutdown()} makes each
     * loop close its channels and end at its next turn. Then waits (within the
     * bound) for the group to terminate.
     */
    @Override
    @SuppressWarnings("deprecation")
    public void stop(Object lifecycle, Duration timeout) throws Exception {
        EventExecutorGroup g = (EventExecutorGroup) lifecycle;
        long ms = Math.max(1, timeout.toMillis());
        if (g.isTerminated()) return;
        g.shutdownGracefully(0, ms, TimeUnit.MILLISECONDS);
        g.shutdown();
        endQuietPeriods(g);
        g.terminationFuture().await(ms);
    }

    /** {@code SingleThreadEventExecutor.gracefulShutdownQuietPeriod}, or null if this Netty has no such field. */
    private static final Field QUIET_PERIOD = quietPeriodField();

    private static Field quietPeriodField() {
        try {
            Field f = SingleThreadEventExecutor.class.getDeclaredField("gracefulShutdownQuietPeriod");
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Neither {@code shutdownGracefully} nor {@code shutdown()} changes a quiet
     * period once a loop is shutting down (the application's own call came
     * first), so the kill sets each loop's to zero: the loop then ends at its
     * next check (within Netty's 100 ms re-check) instead of after two idle
     * seconds. Without the field (another Netty), the loop keeps its quiet
     * period and still ends.
     */
    private static void endQuietPeriods(EventExecutorGroup g) {
        if (QUIET_PERIOD == null) return;
        for (EventExecutor e : g) {
            if (!(e instanceof SingleThreadEventExecutor s) || s.isTerminated()) continue;
            try {
                QUIET_PERIOD.setLong(s, 0L);
            } catch (IllegalAccessException | RuntimeException ignored) {
                return;
            }
        }
    }

    @Override
    public String describe(Object lifecycle) {
        return "netty " + lifecycle.getClass().getSimpleName() + "@" + Integer.toHexString(System.identityHashCode(lifecycle));
    }
}
