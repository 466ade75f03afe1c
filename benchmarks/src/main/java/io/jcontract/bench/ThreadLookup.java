package io.jcontract.bench;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 11's question: would the JDK's per-thread container field (set when a thread is started
 * into a {@code jdk.internal.vm.ThreadContainer}) find a thread's contract more cheaply than what
 * the kernel does now? Measured, not adopted (see BENCHMARKS.md): the mechanisms side by side,
 * without jcontract, so only the lookup is timed.
 * <ul>
 * <li>{@code currentThreadLocal}: the kernel's "current member" ({@code ContractTable.current}, a
 *     ThreadLocal) read by the thread itself;</li>
 * <li>{@code currentContainerField} / {@code otherContainerField}: {@code Thread.container} read
 *     through a getter {@link MethodHandle} (what {@code JavaLangAccess.threadContainer} compiles to),
 *     for the current thread and for another one;</li>
 * <li>{@code otherRegistry}: the agent's thread → member map ({@code ContractTable.memberOf}), a
 *     {@link ConcurrentHashMap} keyed by thread, with {@code threads} entries.</li>
 * </ul>
 * The field is read as it is (null: the JMH thread was not started into a container): one more
 * dereference (container → contract) would follow in real use. Reading the field needs
 * {@code --add-opens java.base/java.lang}, which the forks get.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-opens=java.base/java.lang=ALL-UNNAMED")
public class ThreadLookup {
    private static final ThreadLocal<Object> CURRENT = new ThreadLocal<>();
    private static final MethodHandle CONTAINER;

    static {
        try {
            Class<?> tc = Class.forName("jdk.internal.vm.ThreadContainer");
            CONTAINER = MethodHandles.privateLookupIn(Thread.class, MethodHandles.lookup())
                    .findGetter(Thread.class, "container", tc)
                    .asType(MethodType.methodType(Object.class, Thread.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Entries in the thread → member map besides the looked-up thread (live threads of a server). */
    @Param({"16", "1024"})
    public int threads;

    private final ConcurrentHashMap<Thread, Object> registry = new ConcurrentHashMap<>();
    private Thread other;

    @Setup
    public void setUp() {
        CURRENT.set(new Object());
        for (int i = 0; i < threads; i++) registry.put(Thread.ofPlatform().unstarted(() -> { }), new Object());
        other = Thread.ofPlatform().unstarted(() -> { });
        registry.put(other, new Object());
        registry.put(Thread.currentThread(), new Object());
    }

    @TearDown
    public void tearDown() {
        CURRENT.remove();
    }

    @Benchmark
    public Object currentThreadLocal() {
        return CURRENT.get();
    }

    @Benchmark
    public Object currentContainerField() throws Throwable {
        return (Object) CONTAINER.invokeExact(Thread.currentThread());
    }

    @Benchmark
    public Object otherContainerField() throws Throwable {
        return (Object) CONTAINER.invokeExact(other);
    }

    @Benchmark
    public Object otherRegistry() {
        return registry.get(other);
    }
}
