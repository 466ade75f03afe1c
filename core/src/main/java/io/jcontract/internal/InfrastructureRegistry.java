package io.jcontract.internal;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * What is infrastructure: threads that serve the whole JVM and are never
 * members (SEMANTICS Part 2, "Infrastructure is never inside"). Three
 * sources, asked in this order by the agent before it forks a starting thread:
 * <ol>
 *   <li>the JDK's own table ({@link #setJdkRule}, installed by the agent
 *       from {@code io.jcontract.agent.boot.JdkInfrastructure});</li>
 *   <li>threads and recognisers that libraries (or their lifecycle adapters)
 *       declared through {@link io.jcontract.Infrastructure};</li>
 *   <li>the calling thread being <em>inside</em> infrastructure code: a JDK
 *       method of the table that starts JVM-wide threads or hands JVM-wide
 *       tasks to a pool, or {@link io.jcontract.Infrastructure#run}. Threads
 *       started and tasks handed off from inside are not forks, and kill rung
 *       3 does not re-interrupt a killed member while it is inside (the JDK's
 *       shutdown sequence joins its hooks in a loop that swallows interrupts).</li>
 * </ol>
 *
 * <h2>Theory of operation</h2>
 * Every read is on the hot start/hand-off path, so each source has a cheap
 * "nothing here" test first: {@link #jdk} is one volatile read,
 * {@link #declaredAny} guards the weak map, {@link #recognisers} is a
 * copy-on-write array, and {@link #INSIDE} is only probed when not empty.
 * {@link #DECLARED} is a synchronized weak map (declared threads are rare and
 * must not be kept alive); its monitor is held only for one map operation and
 * nothing is called while it is held. {@link #recognisers} is replaced under
 * this class's monitor (writers only). {@link #INSIDE} maps a thread to its
 * nesting depth; only the thread itself touches its own entry.
 */
public final class InfrastructureRegistry {
    private static volatile Predicate<Thread> jdk;
    private static final Map<Thread, Boolean> DECLARED = Collections.synchronizedMap(new WeakHashMap<>());
    private static volatile boolean declaredAny;
    @SuppressWarnings("unchecked")
    private static volatile Predicate<? super Thread>[] recognisers = new Predicate[0];
    private static final ConcurrentHashMap<Thread, int[]> INSIDE = new ConcurrentHashMap<>();

    private InfrastructureRegistry() {
    }

    /** The agent's rule for the JDK's own threads (its table); null without the agent. */
    public static void setJdkRule(Predicate<Thread> rule) {
        jdk = rule;
    }

    /** Marks {@code t} as infrastructure. */
    public static void declare(Thread t) {
        DECLARED.put(t, Boolean.TRUE);
        declaredAny = true;
    }

    /** Adds a recogniser asked about every thread that starts. */
    @SuppressWarnings("unchecked")
    public static synchronized void declare(Predicate<? super Thread> recogniser) {
        Predicate<? super Thread>[] old = recognisers;
        for (Predicate<? super Thread> p : old) if (p == recogniser) return;
        Predicate<? super Thread>[] next = new Predicate[old.length + 1];
        System.arraycopy(old, 0, next, 0, old.length);
        next[old.length] = recogniser;
        recognisers = next;
    }

    /**
     * Whether {@code t} is infrastructure by the JDK's table, a declaration or a
     * recogniser. A recogniser that throws counts as "no": it must not change
     * whether the thread starts.
     */
    public static boolean isInfrastructure(Thread t) {
        Predicate<Thread> j = jdk;
        if (j != null && j.test(t)) return true;
        if (declaredAny && DECLARED.containsKey(t)) return true;
        for (Predicate<? super Thread> p : recognisers) {
            try {
                if (p.test(t)) return true;
            } catch (RuntimeException | LinkageError ignored) {
                // a broken recogniser does not decide anything
            }
        }
        return false;
    }

    /** Whether the calling thread is inside infrastructure code now. */
    public static boolean inside() {
        return !INSIDE.isEmpty() && INSIDE.containsKey(Thread.currentThread());
    }

    /** The calling thread enters infrastructure code (nests). */
    public static void enter() {
        Thread me = Thread.currentThread();
        int[] depth = INSIDE.get(me);
        if (depth == null) INSIDE.put(me, depth = new int[1]);
        depth[0]++;
    }

    /** The calling thread leaves what {@link #enter} entered. */
    public static void leave() {
        Thread me = Thread.currentThread();
        int[] depth = INSIDE.get(me);
        if (depth != null && --depth[0] <= 0) INSIDE.remove(me);
    }

    /** Loads and links everything the hooks call, so that no hook loads a class. */
    public static void preload() {
        enter();
        inside();
        leave();
        isInfrastructure(Thread.currentThread());
        DECLARED.containsKey(Thread.currentThread());
    }
}
