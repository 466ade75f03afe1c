package io.jcontract.netty;

import io.jcontract.LifecycleAdapter;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.ImmediateEventExecutor;

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

    /** Public for {@link java.util.ServiceLoader}. */
    public NettyLifecycleAdapter() {
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
        g.terminationFuture().await(ms);
    }

    @Override
    public String describe(Object lifecycle) {
        return "netty " + lifecycle.getClass().getSimpleName() + "@" + Integer.toHexString(System.identityHashCode(lifecycle));
    }
}
