package io.jcontract;

import java.time.Duration;
import java.util.Set;

/**
 * Teaches a kill how to stop a library's own lifecycle objects (a server, a
 * thread pool, an event-loop group) that members created: rung 4 of the kill
 * ladder for pools that no JDK call can stop. Found with
 * {@link java.util.ServiceLoader} (a {@code META-INF/services/io.jcontract.LifecycleAdapter}
 * entry) through the system class loader; the adapters shipped with jcontract
 * live in their own modules ({@code jcontract-jetty}, {@code jcontract-netty}),
 * so the core and the agent never depend on a library.
 *
 * <h2>How an adapter sees creation</h2>
 * The agent hooks the constructors of the classes that {@link #lifecycleClasses()}
 * names (and so of their subclasses): when one returns on a member's thread,
 * the new object is offered to {@link #recognises}, and, unless
 * {@link #isInfrastructure} says it is a JVM-wide singleton, it becomes owned
 * by the member's contract. Nothing else is woven into the library and
 * nothing runs on objects that members do not create, so the cost is one
 * check per construction of a named class.
 *
 * <h2>On kill</h2>
 * Owned lifecycle objects are stopped first, all at once, each by
 * {@link #stop} on a thread of the kill's own (never the caller's, never a
 * member) and under its own bound, after which that thread is interrupted; then JDK pools are shut down, channels
 * closed, and registered closeables closed. A stop that throws or overruns
 * is reported in the {@link KillReport}, and the kill goes on. Each owned
 * object is stopped at most once. Objects are held weakly: an owned object
 * nobody references any more is simply forgotten.
 *
 * <p>Implementations must be thread-safe and must not block in
 * {@link #recognises} or {@link #isInfrastructure}, which run inside the
 * library's constructor on the creating thread.
 */
public interface LifecycleAdapter {

    /**
     * Binary names of the classes whose construction by a member the adapter
     * wants to see, e.g. {@code "org.eclipse.jetty.server.Server"}. Read once,
     * when the agent starts; a class loaded before that is not seen.
     */
    Set<String> lifecycleClasses();

    /**
     * Whether {@code candidate}, just constructed by a member and an instance of
     * one of {@link #lifecycleClasses()}, is an object this adapter stops on kill.
     */
    boolean recognises(Object candidate);

    /**
     * Whether {@code candidate} is a JVM-wide singleton of the library (for
     * Netty: {@code GlobalEventExecutor}): such an object is never owned and
     * never stopped, whoever happened to create it.
     */
    default boolean isInfrastructure(Object candidate) {
        return false;
    }

    /**
     * Stops {@code lifecycle}, a recognised object, waiting at most
     * {@code timeout} for it to end. Runs once per object and kill.
     *
     * @throws Exception whatever the stop threw; it goes into the kill report
     */
    void stop(Object lifecycle, Duration timeout) throws Exception;

    /** A short name for {@code lifecycle} in status and kill reports. */
    default String describe(Object lifecycle) {
        return lifecycle.getClass().getName() + "@" + Integer.toHexString(System.identityHashCode(lifecycle));
    }
}
