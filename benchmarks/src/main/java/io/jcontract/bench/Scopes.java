package io.jcontract.bench;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.concurrent.Callable;

/**
 * A {@code StructuredTaskScope} that cancels all its subtasks when one fails, reached by
 * reflection: the API is a preview (JDK 21 to 25 at least) whose shape changed in JDK 25, and the
 * benchmarks are compiled for Java 21, where a preview class file would run on JDK 21 only.
 *
 * <p>JDK 25+: {@code StructuredTaskScope.open()} (its default joiner cancels the scope when a
 * subtask fails); JDK 21 to 24: {@code new StructuredTaskScope.ShutdownOnFailure()}. Either way the
 * owner forks, joins, and closes; the fork running this needs {@code --enable-preview}.
 */
final class Scopes implements AutoCloseable {
    private static final Method OPEN, FORK, JOIN, CLOSE;
    private static final Class<?> LEGACY;

    static {
        try {
            Class<?> sts = Class.forName("java.util.concurrent.StructuredTaskScope");
            Method open = null;
            Class<?> legacy = null;
            try {
                open = sts.getMethod("open");
            } catch (NoSuchMethodException e) {
                legacy = Class.forName("java.util.concurrent.StructuredTaskScope$ShutdownOnFailure");
            }
            OPEN = open;
            LEGACY = legacy;
            FORK = sts.getMethod("fork", Callable.class);
            JOIN = sts.getMethod("join");
            CLOSE = sts.getMethod("close");
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Object scope;

    private Scopes(Object scope) {
        this.scope = scope;
    }

    /** A new scope owned by the calling thread. */
    static Scopes open() {
        try {
            return new Scopes(OPEN != null ? OPEN.invoke(null) : LEGACY.getConstructor().newInstance());
        } catch (InvocationTargetException e) {
            throw unwrap(e);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    void fork(Callable<?> task) {
        invoke(FORK, task);
    }

    /** Waits for the subtasks; the failure that cancelled the scope is expected and ignored. */
    void join() {
        try {
            JOIN.invoke(scope);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof InterruptedException) throw new IllegalStateException(e.getCause());
            if (!(e.getCause() instanceof RuntimeException)) throw unwrap(e);
            // JDK 25: StructuredTaskScope.FailedException, the cancellation we asked for
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Cancels what is left and waits until every subtask's thread has finished. */
    @Override
    public void close() {
        invoke(CLOSE);
    }

    private void invoke(Method m, Object... args) {
        try {
            m.invoke(scope, args);
        } catch (InvocationTargetException e) {
            throw unwrap(e);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RuntimeException unwrap(InvocationTargetException e) {
        Throwable c = e.getCause();
        if (c instanceof RuntimeException r) return r;
        if (c instanceof Error err) throw err;
        return new IllegalStateException(c);
    }
}
