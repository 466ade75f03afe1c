package io.jcontract.stress;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The java agent's bridge (the methods its woven JDK code calls), reached
 * by name: it exists only in a JVM started with {@code -javaagent}, where it
 * sits on the bootstrap class path. Tests named {@code Agent*} drive the
 * agent's own pooled-task path through it, so that the agent's bookkeeping
 * (not only the explicit API's) is raced; the gate runs those tests, and
 * only those, with the agent.
 */
final class AgentBridge {
    private static final Class<?> BRIDGE = find();
    private static final MethodHandle HANDOFF = handle("handoff", MethodType.methodType(void.class, Object.class, boolean.class));
    private static final MethodHandle RUN_POOLED = handle("runPooled", MethodType.methodType(void.class, Runnable.class));
    private static final MethodHandle THREAD_STARTED =
            handle("threadStarted", MethodType.methodType(void.class, Thread.class, Throwable.class));

    private AgentBridge() {
    }

    /** The agent's bridge if the agent is installed (io.jcontract.agent.JContractAgent.INSTALLED_PROPERTY), on either loading path. */
    private static Class<?> find() {
        if (System.getProperty("jcontract.agent.installed") == null) return null;
        try {
            return Class.forName("io.jcontract.agent.boot.Bridge", true, ClassLoader.getSystemClassLoader());
        } catch (ClassNotFoundException e) {
            return null;
        }
    }

    private static MethodHandle handle(String name, MethodType type) {
        if (BRIDGE == null) return null;
        try {
            return MethodHandles.publicLookup().findStatic(BRIDGE, name, type);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the agent's bridge has no " + name + type, e);
        }
    }

    private static void require() {
        if (BRIDGE == null)
            throw new IllegalStateException("this test needs the java agent (-javaagent:agent/target/jcontract-agent.jar)");
    }

    /** A pool hand-off as the agent sees it in {@code ThreadPoolExecutor.execute}: forks a pending member. */
    static void handoff(Runnable task) {
        require();
        try {
            HANDOFF.invokeExact((Object) task, false);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** What the agent substitutes for {@code task.run()} in a pool's worker loop. */
    static void runPooled(Runnable task) {
        require();
        try {
            RUN_POOLED.invokeExact(task);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * Under the agent, a thread forked through the explicit API is noted until it starts; a
     * puppet's thread never starts, so its note is dropped here (else every sample would leave one).
     */
    static void forgetUnstarted(Thread t) {
        if (THREAD_STARTED == null) return;
        try {
            THREAD_STARTED.invokeExact(t, (Throwable) null);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }
}
