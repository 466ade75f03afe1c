package io.jcontract;

import io.jcontract.internal.ContractTable;
import io.jcontract.internal.InfrastructureRegistry;
import io.jcontract.internal.Member;

import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

/**
 * Threads that serve the whole JVM, whoever happens to start them, and that
 * are therefore never members of any contract: a kill never interrupts them
 * and they never keep a contract from becoming empty (SEMANTICS Part 2,
 * "Infrastructure is never inside").
 *
 * <p>Under the agent, the JDK's own such threads are known from a table
 * (the virtual-thread scheduler and I/O pollers, {@code InnocuousThread}s
 * such as the Common-Cleaner and the process reaper, the reference handler,
 * JMX/RMI threads, the common pool's workers, shutdown hooks, ...). This
 * class lets a library, or the lifecycle adapter written for it, name its
 * own JVM-wide singletons in the same way, for example Netty's
 * {@code GlobalEventExecutor} thread:
 * <pre>{@code
 * Infrastructure.declare(t -> t.getName().startsWith("globalEventExecutor-"));
 * }</pre>
 * Without the agent nothing forks implicitly, and declarations have no effect
 * beyond {@link #isInfrastructure}.
 */
public final class Infrastructure {
    private Infrastructure() {
    }

    /**
     * Declares {@code thread} infrastructure: if it has not started yet, its
     * start is not a fork. A thread that is running as a member now cannot be
     * declared (it would leave its contract without exiting).
     *
     * @throws InvalidArgumentException if {@code thread} is null or a member now
     */
    public static void declare(Thread thread) {
        if (thread == null) throw new InvalidArgumentException("Infrastructure.declare: the thread is null");
        Member m = ContractTable.TABLE.memberOf(thread);
        if (m != null && thread.isAlive())
            throw new InvalidArgumentException("Infrastructure.declare: thread " + thread.threadId() + " (\""
                    + thread.getName() + "\") is already a member of contract " + m.contract().id()
                    + "; declare it before it starts");
        InfrastructureRegistry.declare(thread);
    }

    /**
     * Declares every thread that {@code recogniser} accepts, asked at each
     * thread start (before the start would be a fork), infrastructure. It
     * must be quick and must not start threads or block; a recogniser that
     * throws is taken as "not infrastructure". Declaring the same recogniser
     * again has no effect.
     *
     * @throws InvalidArgumentException if {@code recogniser} is null
     */
    public static void declare(Predicate<? super Thread> recogniser) {
        if (recogniser == null) throw new InvalidArgumentException("Infrastructure.declare: the recogniser is null");
        InfrastructureRegistry.declare(recogniser);
    }

    /**
     * Runs {@code action} on the calling thread as infrastructure code: the
     * threads it starts and the tasks it hands to pools are not forks of the
     * caller (for a lifecycle adapter that starts a library's JVM-wide
     * singleton on purpose).
     *
     * @throws InvalidArgumentException if {@code action} is null
     */
    public static void run(Runnable action) {
        if (action == null) throw new InvalidArgumentException("Infrastructure.run: the action is null");
        InfrastructureRegistry.enter();
        try {
            action.run();
        } finally {
            InfrastructureRegistry.leave();
        }
    }

    /** As {@link #run(Runnable)}, returning what {@code action} returns. */
    public static <V> V call(Callable<V> action) throws Exception {
        if (action == null) throw new InvalidArgumentException("Infrastructure.call: the action is null");
        InfrastructureRegistry.enter();
        try {
            return action.call();
        } finally {
            InfrastructureRegistry.leave();
        }
    }

    /**
     * Whether {@code thread} is infrastructure: by the JDK's table (under the
     * agent), a {@linkplain #declare(Thread) declaration} or a recogniser.
     *
     * @throws InvalidArgumentException if {@code thread} is null
     */
    public static boolean isInfrastructure(Thread thread) {
        if (thread == null) throw new InvalidArgumentException("Infrastructure.isInfrastructure: the thread is null");
        return InfrastructureRegistry.isInfrastructure(thread);
    }
}
