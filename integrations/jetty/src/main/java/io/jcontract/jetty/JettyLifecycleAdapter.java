package io.jcontract.jetty;

import io.jcontract.LifecycleAdapter;
import org.eclipse.jetty.util.component.LifeCycle;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.time.Duration;
import java.util.Set;

/**
 * Stops the Jetty 12 lifecycle objects that members of a contract created,
 * when the contract is killed: a {@code Server} (which stops its connectors,
 * handlers, thread pool and scheduler), and a {@code QueuedThreadPool} or
 * {@code VirtualThreadPool} used on its own. Found by {@code ServiceLoader}.
 *
 * <h2>Theory of operation</h2>
 * The agent hooks the constructors of the classes named here, so a server
 * made by unmodified code inside a contract is recognised as it is built;
 * nothing else of Jetty is woven. On kill, each object gets
 * {@link LifeCycle#stop()} on a thread of the kill's own, all at the same
 * time, under the kill's bound. That matters: a server's stop waits, with no
 * time-out, for each {@code ManagedSelector}'s thread to run its stop action,
 * and the kill may already have ended that thread; the pool's own stop, run
 * alongside, ends the remaining workers, and the server's stop is interrupted
 * at the bound. A stop of an object already stopped (by its server) does
 * nothing. A {@code QueuedThreadPool}'s own stop time-out is lowered to the
 * kill's bound. Stateless.
 */
public final class JettyLifecycleAdapter implements LifecycleAdapter {
    private static final Set<String> CLASSES = Set.of(
            "org.eclipse.jetty.server.Server",
            "org.eclipse.jetty.util.thread.QueuedThreadPool",
            "org.eclipse.jetty.util.thread.VirtualThreadPool",
            "org.eclipse.jetty.client.HttpClient");

    /** Public for {@link java.util.ServiceLoader}. */
    public JettyLifecycleAdapter() {
    }

    @Override
    public Set<String> lifecycleClasses() {
        return CLASSES;
    }

    @Override
    public boolean recognises(Object candidate) {
        return candidate instanceof LifeCycle;
    }

    @Override
    public void stop(Object lifecycle, Duration timeout) throws Exception {
        LifeCycle lc = (LifeCycle) lifecycle;
        if (lc.isStopped() || lc.isFailed() && !lc.isRunning()) return;
        if (lc instanceof QueuedThreadPool qtp) qtp.setStopTimeout(Math.min(qtp.getStopTimeout(), timeout.toMillis()));
        lc.stop();
    }

    @Override
    public String describe(Object lifecycle) {
        return "jetty " + lifecycle.getClass().getSimpleName() + "@" + Integer.toHexString(System.identityHashCode(lifecycle));
    }
}
