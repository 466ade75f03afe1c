package io.jcontract.agent;

import io.jcontract.agent.boot.Bridge;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.asm.MemberSubstitution;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.utility.JavaModule;

import java.lang.instrument.Instrumentation;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static net.bytebuddy.matcher.ElementMatchers.*;

/**
 * Installs the hooks with byte-buddy: advice only (no new members in JDK
 * classes), retransforming classes already loaded (the JDK's own are, by
 * the time premain runs), and never ignoring bootstrap classes. Runs after
 * the bridge is on the bootstrap class path.
 */
final class Installer {
    private Installer() {
    }

    static void install(String args, Instrumentation inst, long t0) throws Exception {
        Config cfg = Config.parse(args);
        long tBoot = System.nanoTime();
        Bridge.verbose = cfg.verbose;
        Bridge.threads = cfg.on(Config.Path.THREADS);
        Bridge.tasks = true;
        Bridge.completableFuture = cfg.on(Config.Path.COMPLETABLEFUTURE);
        Bridge.interrupts = cfg.on(Config.Path.INTERRUPTS);
        Bridge.blocking = cfg.on(Config.Path.BLOCKING);
        Bridge.preload();
        long tPreload = System.nanoTime();

        // java.base calls into the bridge, which lives in the bootstrap loader's unnamed module.
        Module bridge = Bridge.class.getModule();
        inst.redefineModule(Object.class.getModule(), Set.of(bridge), Map.of(), Map.of(), Set.of(), Map.of());

        java.lang.reflect.Method runPooled = Bridge.class.getMethod("runPooled", Runnable.class);
        java.lang.reflect.Method pollDiscarded = Bridge.class.getMethod("pollDiscarded", java.util.Queue.class);
        java.lang.reflect.Method runTimerTask = Bridge.class.getMethod("runTimerTask", java.util.TimerTask.class);
        AtomicInteger transformed = new AtomicInteger(), errors = new AtomicInteger();
        AgentBuilder ab = newAgentBuilder()
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                // Reiterating: a JDK class first loaded while the retransformation runs (byte-buddy's
                // own circularity guard lets it pass untransformed) is caught by the next pass;
                // SinglePass silently leaves such classes without hooks.
                .with(AgentBuilder.RedefinitionStrategy.DiscoveryStrategy.Reiterating.INSTANCE)
                .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
                .with(AgentBuilder.TypeStrategy.Default.DECORATE)
                .with(new AgentBuilder.Listener.Adapter() {
                    @Override
                    public void onTransformation(TypeDescription type, ClassLoader loader, JavaModule module,
                                                 boolean loaded, DynamicType dynamicType) {
                        transformed.incrementAndGet();
                        if (cfg.verbose) System.err.println("[jcontract-agent] instrumented " + type.getName());
                    }

                    @Override
                    public void onError(String typeName, ClassLoader loader, JavaModule module, boolean loaded,
                                        Throwable throwable) {
                        errors.incrementAndGet();
                        System.err.println("[jcontract-agent] could not instrument " + typeName + ": " + throwable);
                    }
                })
                // Narrow: only the agent's own and byte-buddy's classes; bootstrap classes are not ignored.
                .ignore(nameStartsWith("io.jcontract.").and(not(named("io.jcontract.internal.Lifecycle"))),
                        isBootstrapClassLoader())
                .or(nameStartsWith("io.jcontract.agent.shaded.").or(nameStartsWith("io.jcontract.agent.boot."))
                        .or(nameStartsWith("net.bytebuddy."))
                        .or(nameContains("$$Lambda")).or(nameStartsWith("jdk.internal.reflect.Generated")))
                .assureReadEdgeTo(inst, Bridge.class);

        if (cfg.on(Config.Path.THREADS)) {
            ab = ab.type(named("java.lang.Thread").or(named("java.lang.VirtualThread")))
                    .transform(advice(Advices.ThreadStart.class, named("start").and(not(isStatic()))))
                    .transform(advice(Advices.VirtualRun.class, named("run").and(takesArguments(Runnable.class))))
                    .transform(advice(Advices.ThreadExit.class, named("exit").and(takesNoArguments())))
                    .transform(advice(Advices.ThreadDying.class, named("dispatchUncaughtException")))
                    // Platform threads: the VM calls the (possibly overridden) run(); bind at the first one.
                    .type(isSubTypeOf(Thread.class).and(not(named("java.lang.VirtualThread"))).and(not(isInterface())))
                    .transform(advice(Advices.ThreadRun.class,
                            named("run").and(takesNoArguments()).and(not(isAbstract())).and(not(isStatic()))))
                    .type(named("io.jcontract.internal.Lifecycle"))
                    .transform(advice(Advices.ExplicitFork.class, named("forkThread")));
        }
        if (cfg.on(Config.Path.INTERRUPTS)) {
            ab = ab.type(named("java.lang.Thread").or(named("java.lang.VirtualThread")))
                    .transform(advice(Advices.Interrupt.class, named("interrupt").and(takesNoArguments())));
        }
        if (cfg.on(Config.Path.BLOCKING)) {
            ab = ab.type(named("java.lang.Thread"))
                    .transform(advice(Advices.Blocking.class,
                            named("sleep").and(isStatic()).or(named("join").and(not(isStatic())))))
                    .type(named("java.lang.Object"))
                    .transform(advice(Advices.Blocking.class, named("wait").and(takesArguments(long.class))))
                    .type(named("java.util.concurrent.locks.LockSupport"))
                    .transform(advice(Advices.Parking.class, nameStartsWith("park").and(isStatic())));
        }
        if (cfg.on(Config.Path.EXECUTORS)) {
            ab = ab.type(named("java.util.concurrent.ThreadPoolExecutor"))
                    .transform(advice(Advices.Execute.class, named("execute").and(takesArguments(Runnable.class))))
                    .transform(advice(Advices.WorkerCreation.class, named("addWorker")))
                    .transform(advice(Advices.Reject.class, named("reject").and(takesArguments(Runnable.class))))
                    .transform(advice(Advices.ShutdownNow.class, named("shutdownNow").and(takesNoArguments())))
                    .transform(advice(Advices.Remove.class, named("remove").and(takesArguments(Runnable.class))))
                    .transform((b, t, l, m, pd) -> b.visit(MemberSubstitution.relaxed()
                            .method(named("run").and(takesNoArguments()).and(isDeclaredBy(Runnable.class)))
                            .replaceWith(runPooled)
                            .on(named("runWorker"))))
                    .type(named("java.util.concurrent.ScheduledThreadPoolExecutor"))
                    .transform(advice(Advices.DelayedExecute.class, named("delayedExecute")))
                    .type(named("java.util.concurrent.ThreadPoolExecutor$DiscardOldestPolicy"))
                    .transform((b, t, l, m, pd) -> b.visit(MemberSubstitution.relaxed()
                            .method(named("poll").and(takesNoArguments()))
                            .replaceWith(pollDiscarded)
                            .on(named("rejectedExecution"))))
                    .type(named("java.util.concurrent.FutureTask"))
                    .transform(advice(Advices.Cancel.class, named("cancel").and(takesArguments(boolean.class))))
                    .transform(advice(Advices.FutureSet.class, named("set").and(takesArguments(1))
                            .and(not(takesArguments(Throwable.class)))))
                    .transform(advice(Advices.FutureSetException.class,
                            named("setException").and(takesArguments(Throwable.class))));
        }
        if (cfg.on(Config.Path.FORKJOIN) || cfg.on(Config.Path.COMPLETABLEFUTURE)) {
            ab = ab.type(named("java.util.concurrent.ForkJoinPool"))
                    .transform(advice(Advices.PoolSubmit.class,
                            named("poolSubmit").or(named("externalSubmit")).and(not(isStatic()))))
                    .type(named("java.util.concurrent.ForkJoinTask"))
                    .transform(advice(Advices.Fork.class, named("fork").and(takesNoArguments())))
                    .transform(advice(Advices.DoExec.class, named("doExec").and(takesNoArguments())));
        }
        if (cfg.on(Config.Path.COMPLETABLEFUTURE)) {
            ab = ab.type(named("java.util.concurrent.CompletableFuture"))
                    .transform(advice(Advices.CfThrew.class, named("completeThrowable").and(takesArguments(Throwable.class))))
                    .type(named("java.util.concurrent.CompletableFuture$AsyncSupply")
                            .or(named("java.util.concurrent.CompletableFuture$AsyncRun")))
                    .transform(advice(Advices.CfAsyncRun.class, named("run").and(takesNoArguments())))
                    .type(nameStartsWith("java.util.concurrent.CompletableFuture$")
                            .and(hasSuperClass(named("java.util.concurrent.CompletableFuture$UniCompletion")))
                            .and(not(isAbstract())))
                    .transform(advice(Advices.CfTryFire.class, named("tryFire").and(takesArguments(int.class))));
        }
        if (cfg.on(Config.Path.TIMER)) {
            ab = ab.type(named("java.util.Timer"))
                    .transform(advice(Advices.TimerSched.class, named("sched").and(takesArguments(3))))
                    .type(named("java.util.TimerTask"))
                    .transform(advice(Advices.Cancel.class, named("cancel").and(takesNoArguments())))
                    .type(named("java.util.TaskQueue"))
                    .transform(advice(Advices.TimerQueueClear.class, named("clear")))
                    .type(named("java.util.TimerThread"))
                    .transform((b, t, l, m, pd) -> b.visit(MemberSubstitution.relaxed()
                            .method(named("run").and(takesNoArguments()).and(isDeclaredBy(named("java.util.TimerTask"))))
                            .replaceWith(runTimerTask)
                            .on(named("mainLoop"))));
        }
        long tBuilt = System.nanoTime();
        ab.installOn(inst);
        long tEnd = System.nanoTime();
        long ms = (tEnd - t0) / 1_000_000;
        if (cfg.verbose)
            System.err.printf("[jcontract-agent] boot jar %d ms, bridge preload %d ms, builder %d ms, install %d ms%n",
                    (tBoot - t0) / 1_000_000, (tPreload - tBoot) / 1_000_000, (tBuilt - tPreload) / 1_000_000,
                    (tEnd - tBuilt) / 1_000_000);
        if (cfg.verbose || errors.get() > 0)
            System.err.println("[jcontract-agent] installed in " + ms + " ms: paths " + cfg.paths + ", "
                    + transformed.get() + " classes instrumented, " + errors.get() + " errors");
    }

    /**
     * {@code AgentBuilder.Default} eagerly builds byte-buddy's Nexus (self-injection for type
     * initializers), which probes {@code sun.misc.Unsafe} and so prints the JDK 24+ Unsafe warning in
     * the application, though advice never uses it ({@code disableClassFormatChanges}). The
     * property turns the Nexus off for that construction only; an application's own setting wins.
     */
    private static AgentBuilder newAgentBuilder() {
        String key = "net.bytebuddy.nexus.disabled";
        if (System.getProperty(key) != null) return new AgentBuilder.Default();
        System.setProperty(key, "true");
        try {
            return new AgentBuilder.Default();
        } finally {
            System.clearProperty(key);
        }
    }

    private static AgentBuilder.Transformer advice(Class<?> advice, ElementMatcher<? super MethodDescription> on) {
        AsmVisitorWrapper w = Advice.to(advice).on(on);
        return (builder, type, loader, module, pd) -> builder.visit(w);
    }
}
