package io.jcontract.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * A member thread's current member as a {@code ScopedValue} binding, on JDK
 * 25 and later, for threads the explicit API starts when the agent is off
 * ({@code ContractThreads}): the binding costs about 56 bytes (a carrier and
 * a snapshot) where a ThreadLocal costs the thread a 136-byte map. On older
 * JDKs, where {@code ScopedValue} is a preview API, {@link #ON} is false and
 * the ThreadLocal does it all.
 *
 * <h2>Theory of operation</h2>
 * The library is compiled for JDK 21, so {@code ScopedValue} is reached
 * through method handles found once, at class initialisation; constant
 * {@code static final} handles inline like direct calls. One binding per
 * thread: {@code Lifecycle.runThread} runs the member's body inside
 * {@link #run}. A binding is inherited by the threads a
 * {@code StructuredTaskScope} forks inside it, so {@link #boundHere} answers
 * only for the member whose own thread is the caller. A pooled task run
 * inline on a bound thread changes the thread's member without a new
 * binding: {@code ContractTable.setCurrent} notes it in the bound member's
 * rare part ({@code Member.Rare.currentOverride}), which only that thread
 * reads and writes. No state of its own besides the handles.
 */
final class CurrentBinding {
    /** Whether bindings are used: {@code ScopedValue} is final (JDK 25+) and its handles were found. */
    static final boolean ON;
    private static final Object KEY;
    private static final Object UNBOUND = new Object();
    private static final MethodHandle WHERE, RUN, OR_ELSE;

    static {
        Object key = null;
        MethodHandle where = null, run = null, orElse = null;
        if (Runtime.version().feature() >= 25 && !Boolean.getBoolean("jcontract.noScopedValue")) {
            try {
                Class<?> sv = Class.forName("java.lang.ScopedValue");
                Class<?> carrier = Class.forName("java.lang.ScopedValue$Carrier");
                MethodHandles.Lookup l = MethodHandles.publicLookup();
                key = l.findStatic(sv, "newInstance", MethodType.methodType(sv)).invoke();
                where = l.findStatic(sv, "where", MethodType.methodType(carrier, sv, Object.class))
                        .asType(MethodType.methodType(Object.class, Object.class, Object.class));
                run = l.findVirtual(carrier, "run", MethodType.methodType(void.class, Runnable.class))
                        .asType(MethodType.methodType(void.class, Object.class, Runnable.class));
                orElse = l.findVirtual(sv, "orElse", MethodType.methodType(Object.class, Object.class))
                        .asType(MethodType.methodType(Object.class, Object.class, Object.class));
            } catch (Throwable unavailable) {
                key = null;
            }
        }
        ON = key != null;
        KEY = key;
        WHERE = where;
        RUN = run;
        OR_ELSE = orElse;
    }

    private CurrentBinding() {
    }

    /** Runs {@code body} with {@code m} bound as the calling thread's member; rethrows what it throws. */
    static void run(Member m, Runnable body) {
        try {
            Object carrier = (Object) WHERE.invokeExact(KEY, (Object) m);
            RUN.invokeExact(carrier, body);
        } catch (Throwable t) {
            Lifecycle.<RuntimeException>rethrow(t);
        }
    }

    /** The member bound on the calling thread, if it is that thread's own (not inherited); else null. */
    static Member boundHere() {
        Object b;
        try {
            b = (Object) OR_ELSE.invokeExact(KEY, UNBOUND);
        } catch (Throwable t) {
            throw new AssertionError(t);     // orElse with a non-null default throws nothing
        }
        if (b == UNBOUND) return null;
        Member m = (Member) b;
        return m.isThreadOf(Thread.currentThread()) ? m : null;
    }
}
