package io.jcontract.agent;

import static io.jcontract.agent.ClassPlan.descStarting;
import static io.jcontract.agent.ClassPlan.method;
import static io.jcontract.agent.ClassPlan.named;
import static io.jcontract.agent.ClassPlan.namedStarting;
import static io.jcontract.agent.HookCall.Op.ARG0;
import static io.jcontract.agent.HookCall.Op.ARG2;
import static io.jcontract.agent.HookCall.Op.DEP;
import static io.jcontract.agent.HookCall.Op.DUP;
import static io.jcontract.agent.HookCall.Op.FALSE;
import static io.jcontract.agent.HookCall.Op.LAST_ARG;
import static io.jcontract.agent.HookCall.Op.NULL;
import static io.jcontract.agent.HookCall.Op.SWAP;
import static io.jcontract.agent.HookCall.Op.TASK_QUEUE_ARRAY;
import static io.jcontract.agent.HookCall.Op.TASK_QUEUE_SIZE;
import static io.jcontract.agent.HookCall.Op.THIS;
import static io.jcontract.agent.HookCall.Op.TRUE;
import static io.jcontract.agent.HookCall.call;

import net.bytebuddy.jar.asm.Opcodes;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where the agent hooks the JDK: for each class it touches, which methods get
 * which {@link Site}. Everything here calls {@code io.jcontract.agent.boot.Hooks}
 * (or, for call substitutions, {@code Bridge}) and nothing else; what each
 * hook means is documented there and in {@code Bridge}.
 *
 * <p>The plan is fixed at start-up from the configured paths; the weaver asks
 * it about every class, so the lookup is one map probe by class name, plus
 * the two hierarchy rules ({@code Thread} subclasses' {@code run()}, and
 * {@code CompletableFuture}'s completion classes) that {@link Weaver} resolves.
 *
 * <p>The plan is built at start-up, in premain, so it is written as data: each
 * class's methods are matched by the {@link ClassPlan.Rule}s of its
 * {@link ClassPlan}, and each emitter is a {@link HookCall} ("this, arg0, then
 * {@code threadDying(Thread, Throwable)}"). Lambdas here would each cost a
 * class spun through {@code LambdaMetafactory} at every start (the class-data
 * archives do not keep an agent's), and so would a string concatenation
 * that is not a compile-time constant: the descriptors are all constants.
 */
final class Sites {
    static final String BRIDGE = "io/jcontract/agent/boot/Bridge";
    static final String HOOKS = "io/jcontract/agent/boot/Hooks";
    /** The class the woven code calls: {@link #HOOKS}, or {@link LookupBridge}'s facade in java.base. */
    static volatile String hooksOwner = HOOKS;
    /** The class the worker-loop substitutions call: {@link #BRIDGE}, or the facade (names prefixed, see LookupBridge). */
    static volatile String substitutionOwner = BRIDGE;

    static String substitutionName(String bridgeName) {
        return substitutionOwner.equals(BRIDGE) ? bridgeName : LookupBridge.BRIDGE_PREFIX + bridgeName;
    }
    static final String THREAD = "java/lang/Thread";
    static final String VIRTUAL_THREAD = "java/lang/VirtualThread";
    static final String UNI_COMPLETION = "java/util/concurrent/CompletableFuture$UniCompletion";
    static final String CF_PREFIX = "java/util/concurrent/CompletableFuture$";
    static final String LIFECYCLE = "io/jcontract/internal/Lifecycle";

    private static final String TPE = "java/util/concurrent/ThreadPoolExecutor";
    private static final String STPE = "java/util/concurrent/ScheduledThreadPoolExecutor";
    private static final String FUTURE_TASK = "java/util/concurrent/FutureTask";
    private static final String FJP = "java/util/concurrent/ForkJoinPool";
    private static final String FJT_CLASS = "java/util/concurrent/ForkJoinTask";

    private static final String T = "Ljava/lang/Thread;";
    private static final String THROWABLE = "Ljava/lang/Throwable;";
    private static final String OBJ = "Ljava/lang/Object;";
    private static final String FJT = "Ljava/util/concurrent/ForkJoinTask;";

    /** Per class: which of its methods get which site. */
    private final Map<String, ClassPlan> byClass = new HashMap<>();
    /**
     * Per class: the methods the plan expects to hook, each entry a set of
     * alternative names (one of them must be hooked). A JDK whose classes
     * lack one is reported by name instead of running with a silent hole.
     */
    private final Map<String, List<Set<String>>> expected = new HashMap<>();
    private final boolean threadRun, cfCompletions;

    Sites(Config cfg) {
        threadRun = cfg.on(Config.Path.THREADS);
        cfCompletions = cfg.on(Config.Path.COMPLETABLEFUTURE);
        if (cfg.on(Config.Path.THREADS)) threads(cfg);
        else if (cfg.on(Config.Path.INTERRUPTS) || cfg.on(Config.Path.BLOCKING)) threadExtras(cfg);
        if (cfg.on(Config.Path.BLOCKING)) blocking();
        if (cfg.on(Config.Path.EXECUTORS)) executors();
        if (cfg.on(Config.Path.FORKJOIN) || cfg.on(Config.Path.COMPLETABLEFUTURE)) forkJoin();
        if (cfg.on(Config.Path.COMPLETABLEFUTURE)) completableFuture();
        if (cfg.on(Config.Path.TIMER)) timer();
        if (cfg.on(Config.Path.THREADS)) ownership(cfg.libraryClasses);
        if (cfg.on(Config.Path.THREADS) || cfg.on(Config.Path.EXECUTORS) || cfg.on(Config.Path.TIMER)) infrastructure();
        if (cfg.on(Config.Path.EXECUTORS)) executorDrops();
        if (cfg.on(Config.Path.FORKJOIN) || cfg.on(Config.Path.COMPLETABLEFUTURE)) forkJoinDrops();
    }

    /** Classes named in the plan (those already loaded at start-up are retransformed). */
    java.util.Set<String> classNames() {
        return byClass.keySet();
    }

    ClassPlan forClass(String internalName) {
        return byClass.get(internalName);
    }

    /** The expected sites of {@code internalName} that {@code hooked} (method names) does not cover. */
    List<String> missing(String internalName, Set<String> hooked) {
        List<String> out = new ArrayList<>();
        for (Set<String> alternatives : expected.getOrDefault(internalName, List.of())) {
            boolean covered = false;
            for (String m : alternatives) covered |= hooked.contains(m);
            if (!covered) out.add(String.join("|", alternatives));
        }
        return out;
    }

    /** Records that {@code cls} must have each of {@code methods} hooked ("a|b": either). */
    private void expect(String cls, String... methods) {
        List<Set<String>> list = expected.get(cls);
        if (list == null) expected.put(cls, list = new ArrayList<>());
        for (String m : methods) list.add(Set.of(m.split("\\|")));
    }

    boolean hooksThreadRun() {
        return threadRun;
    }

    boolean hooksCompletions() {
        return cfCompletions;
    }

    // ------------------------------------------------------------------ emit helpers

    /** With the throwable on top: {@code Hooks.handoffFailed(task, throwable)}, throwable kept. */
    private static HookCall handoffFailed(HookCall.Op task) {
        return call("handoffFailed", "(" + OBJ + THROWABLE + ")V", DUP, task, SWAP);
    }

    /** With a boolean return value on top: {@code Hooks.removed(value, this-or-arg)}, value kept. */
    private static Site removed(HookCall.Op which) {
        return Site.exitNormally(call("removed", "(Z" + OBJ + ")V", DUP, which));
    }

    /** Adds {@code rules} to the plan of {@code cls}, after any it has (a class named with none is still planned). */
    private void put(String cls, ClassPlan.Rule... rules) {
        ClassPlan plan = byClass.get(cls);
        if (plan == null) byClass.put(cls, plan = new ClassPlan());
        plan.add(rules);
    }

    // ------------------------------------------------------------------ threads

    private static final Site START = Site.enter(call("threadStarting", "(" + T + ")V", THIS))
            .onReturn(call("threadStarted", "(" + T + THROWABLE + ")V", THIS, NULL))
            .onThrow(call("threadStarted", "(" + T + THROWABLE + ")V", DUP, THIS, SWAP));

    /** The first {@code run()} on a thread binds its member; true from the hook skips a killed one. */
    static final Site THREAD_RUN = Site.skipping(call("threadRunning", "(" + T + ")Z", THIS), null);

    /** What {@link Weaver} plans for every subclass of {@code Thread}. */
    static final ClassPlan THREAD_SUBCLASS = new ClassPlan(method("run", "()V", THREAD_RUN).instanceOnly());

    private static final HookCall THREAD_EXITING = call("threadExiting", "(" + T + ")V", THIS);
    private static final ClassPlan.Rule INTERRUPT =
            method("interrupt", "()V", Site.enter(call("interrupting", "(" + T + ")V", THIS)));
    private static final Site BLOCKING = Site.enter(call("blocking", "()V"));
    private static final ClassPlan.Rule SLEEP = named("sleep", BLOCKING).staticOnly();
    private static final ClassPlan.Rule JOIN = named("join", BLOCKING).instanceOnly();

    private void threads(Config cfg) {
        boolean interrupts = cfg.on(Config.Path.INTERRUPTS), blocking = cfg.on(Config.Path.BLOCKING);
        expect(THREAD, "start", "run", "exit", "dispatchUncaughtException");
        expect(VIRTUAL_THREAD, "start", "run");
        expect(LIFECYCLE, "forkThread");
        if (interrupts) {
            expect(THREAD, "interrupt");
            expect(VIRTUAL_THREAD, "interrupt");
        }
        if (blocking) expect(THREAD, "sleep", "join");
        put(THREAD,
                named("start", START).instanceOnly(),
                method("run", "()V", THREAD_RUN),
                method("exit", "()V", Site.enter(THREAD_EXITING)),
                method("dispatchUncaughtException", "(" + THROWABLE + ")V",
                        Site.enter(call("threadDying", "(" + T + THROWABLE + ")V", THIS, ARG0))));
        if (interrupts) put(THREAD, INTERRUPT);
        if (blocking) put(THREAD, SLEEP, JOIN);
        Site virtualRun = Site.skipping(call("threadRunning", "(" + T + ")Z", THIS), THREAD_EXITING)
                .onExit(THREAD_EXITING);
        put(VIRTUAL_THREAD,
                named("start", START).instanceOnly(),
                method("run", "(Ljava/lang/Runnable;)V", virtualRun));
        if (interrupts) put(VIRTUAL_THREAD, INTERRUPT);
        put(LIFECYCLE, descStarting("forkThread", "(" + T + ")",
                Site.exitNormally(call("explicitFork", "(" + T + ")V", ARG0))));
    }

    /** Interrupt attribution or kill rung 3 without thread tracking. */
    private void threadExtras(Config cfg) {
        boolean interrupts = cfg.on(Config.Path.INTERRUPTS), blocking = cfg.on(Config.Path.BLOCKING);
        if (interrupts) {
            expect(THREAD, "interrupt");
            expect(VIRTUAL_THREAD, "interrupt");
        }
        if (blocking) expect(THREAD, "sleep", "join");
        if (interrupts) put(THREAD, INTERRUPT);
        if (blocking) put(THREAD, SLEEP, JOIN);
        if (interrupts) put(VIRTUAL_THREAD, INTERRUPT);
    }

    private void blocking() {
        expect("java/lang/Object", "wait");
        expect("java/util/concurrent/locks/LockSupport", "park");
        put("java/lang/Object", method("wait", "(J)V", BLOCKING));
        put("java/util/concurrent/locks/LockSupport",
                namedStarting("park", Site.enter(call("parking", "()V"))).staticOnly());
    }

    // ------------------------------------------------------------------ executors

    private void executors() {
        expect(TPE, "execute", "addWorker", "reject", "shutdownNow", "remove", "runWorker");
        expect(STPE, "delayedExecute");
        expect(TPE + "$DiscardOldestPolicy", "rejectedExecution");
        expect(FUTURE_TASK, "cancel", "set", "setException");
        Site.Substitution runInWorker = new Site.Substitution(Opcodes.INVOKEINTERFACE, "java/lang/Runnable", "run",
                "()V", "runPooled", "(Ljava/lang/Runnable;)V");
        put(TPE,
                method("execute", "(Ljava/lang/Runnable;)V",
                        Site.enter(call("execute", "(Ljava/lang/Runnable;)V", ARG0)).onThrow(executeFailed())),
                named("addWorker", Site.enter(call("workerCreationOf", "(" + OBJ + "Z)V", THIS, TRUE))
                        .onExit(call("workerCreationOf", "(" + OBJ + "Z)V", THIS, FALSE))),
                method("reject", "(Ljava/lang/Runnable;)V",
                        Site.enter(call("rejected", "(Ljava/lang/Runnable;)V", ARG0))),
                method("shutdownNow", "()Ljava/util/List;",
                        Site.exitNormally(call("shutdownNow", "(Ljava/util/List;)V", DUP))),
                method("remove", "(Ljava/lang/Runnable;)Z", removed(ARG0)),
                named("runWorker", Site.substitute(runInWorker)));
        put(STPE, method("delayedExecute", "(Ljava/util/concurrent/RunnableScheduledFuture;)V",
                Site.enter(call("scheduled", "(Ljava/util/concurrent/RunnableScheduledFuture;)V", ARG0))
                        .onThrow(handoffFailed(ARG0))));
        Site.Substitution pollOldest = new Site.Substitution(Opcodes.INVOKEINTERFACE, null, "poll",
                "()" + OBJ, "pollDiscarded", "(Ljava/util/Queue;)" + OBJ);
        put(TPE + "$DiscardOldestPolicy", named("rejectedExecution", Site.substitute(pollOldest)));
        put(FUTURE_TASK,
                method("cancel", "(Z)Z", removed(THIS)),
                method("set", "(" + OBJ + ")V",
                        Site.enter(call("futureCompleting", "(" + OBJ + THROWABLE + ")V", THIS, NULL))),
                method("setException", "(" + THROWABLE + ")V",
                        Site.enter(call("futureCompleting", "(" + OBJ + THROWABLE + ")V", THIS, ARG0))));
    }

    // ------------------------------------------------------------------ fork/join

    private void forkJoin() {
        expect(FJP, "poolSubmit|externalSubmit");
        expect(FJT_CLASS, "fork", "doExec");
        Site submit = Site.enter(call("poolSubmit", "(L" + FJP + ";" + FJT + ")V", THIS, LAST_ARG))
                .onThrow(handoffFailed(LAST_ARG));
        put(FJP,
                named("poolSubmit", submit).instanceOnly().lastArg(FJT),
                named("externalSubmit", submit).instanceOnly().lastArg(FJT));
        put(FJT_CLASS,
                method("fork", "()" + FJT, Site.enter(call("fork", "(" + FJT + ")V", THIS)).onThrow(handoffFailed(THIS))),
                descStarting("doExec", "()",    // ()I up to JDK 24, ()V since
                        Site.enter(call("doExecBegin", "(" + FJT + ")V", THIS))
                                .onExit(call("doExecEnd", "(" + FJT + ")V", THIS))));
    }

    // ------------------------------------------------------------------ CompletableFuture

    private void completableFuture() {
        expect("java/util/concurrent/CompletableFuture", "completeThrowable");
        expect(CF_PREFIX + "AsyncSupply", "run");
        expect(CF_PREFIX + "AsyncRun", "run");
        put("java/util/concurrent/CompletableFuture", descStarting("completeThrowable", "(" + THROWABLE + ")",
                Site.enter(call("cfThrew", "(" + OBJ + THROWABLE + ")V", THIS, ARG0))));
        ClassPlan.Rule asyncRun = method("run", "()V", Site.enter(call("cfAsyncRun", "(" + OBJ + OBJ + ")V", THIS, DEP)));
        put(CF_PREFIX + "AsyncSupply", asyncRun);
        put(CF_PREFIX + "AsyncRun", asyncRun);
    }

    /** What {@link Weaver} plans for a concrete subclass of {@code CompletableFuture.UniCompletion}: its {@code tryFire(int)}. */
    static final ClassPlan COMPLETIONS = new ClassPlan(descStarting("tryFire", "(I)",
            Site.enter(call("cfTryFire", "(I" + OBJ + OBJ + ")V", ARG0, THIS, DEP))));

    // ------------------------------------------------------------------ ownership

    /** At every constructor's return: {@code Hooks.created(this)} (see {@code Ownership}). */
    private static final Site CREATED = Site.exitNormally(call("created", "(" + OBJ + ")V", THIS));

    /** JDK classes whose construction by a member makes the object its contract's (SEMANTICS Part 2). */
    static final List<String> OWNED_JDK_CLASSES = List.of(
            "java/util/concurrent/ThreadPoolExecutor", "java/util/concurrent/ForkJoinPool",
            "java/util/concurrent/ThreadPerTaskExecutor", "java/util/Timer",
            "sun/nio/ch/SocketChannelImpl", "sun/nio/ch/ServerSocketChannelImpl", "sun/nio/ch/DatagramChannelImpl",
            "sun/nio/ch/SelectorImpl", "java/net/Socket", "java/net/ServerSocket",
            "jdk/internal/net/http/HttpClientImpl");

    /**
     * Ownership by creation: the constructors of JDK pools, channels, selectors,
     * sockets and HttpClients, and of the library classes that lifecycle adapters
     * name ({@code libraryClasses}, binary names). The common pool's own
     * constructor ({@code ForkJoinPool(byte)}) is left alone.
     */
    private void ownership(java.util.Collection<String> libraryClasses) {
        for (String cls : OWNED_JDK_CLASSES) {
            if (!cls.startsWith("jdk/internal/net/http/")) expect(cls, "<init>");
            put(cls, named("<init>", CREATED).unless("(B)V"));
        }
        for (String binary : libraryClasses) {
            String cls = binary.replace('.', '/');
            put(cls, named("<init>", CREATED));
        }
    }

    // ------------------------------------------------------------------ tasks dropped without running

    /** With the throwable on top: {@code Hooks.executeFailed(task, throwable)}, throwable kept. */
    private static HookCall executeFailed() {
        return call("executeFailed", "(" + OBJ + THROWABLE + ")V", DUP, ARG0, SWAP);
    }

    /** With a returned task on top: {@code Hooks.taken(task)}, task kept. */
    private static final Site TAKEN = Site.exitNormally(call("taken", "(" + OBJ + ")V", DUP));

    /**
     * Issue 12 item 6: the ways a pool hands a queued task back, or loses it, without running it.
     * A {@code decorateTask} wrapper is linked to the task it wraps (the {@code ScheduledFutureTask}
     * the same thread made just before scheduling the wrapper: an override of {@code decorateTask}
     * need not call the pool's own), so that cancelling either settles the wrapper's pending member.
     */
    private void executorDrops() {
        String sft = STPE + "$ScheduledFutureTask";
        expect(sft, "<init>");
        put(sft, named("<init>", Site.exitNormally(call("scheduledTaskMade", "(" + OBJ + ")V", THIS))));
    }

    private void forkJoinDrops() {
        expect(FJT_CLASS, "tryUnfork", "pollNextLocalTask", "pollTask", "pollSubmission", "cancel");
        expect(FJP, "pollSubmission", "drainTasksTo");
        String interruptible = FJT_CLASS + "$InterruptibleTask";    // submit(Runnable/Callable)'s tasks override cancel
        expect(interruptible, "cancel");
        put(interruptible, method("cancel", "(Z)Z", removed(THIS)));
        put(FJT_CLASS,
                method("tryUnfork", "()Z", removed(THIS)),
                method("cancel", "(Z)Z", removed(THIS)),
                method("pollNextLocalTask", "()" + FJT, TAKEN).staticOnly(),
                method("pollTask", "()" + FJT, TAKEN).staticOnly(),
                method("pollSubmission", "()" + FJT, TAKEN).staticOnly());
        Site.Substitution drained = new Site.Substitution(Opcodes.INVOKEINTERFACE, "java/util/Collection", "add",
                "(" + OBJ + ")Z", "drainedTo", "(Ljava/util/Collection;" + OBJ + ")Z");
        put(FJP,
                method("pollSubmission", "()" + FJT, TAKEN).instanceOnly(),
                named("drainTasksTo", Site.substitute(drained)));
    }

    // ------------------------------------------------------------------ infrastructure

    /** {@code Hooks.infrastructure(true)} at entry, {@code (false)} on every way out. */
    private static final Site INSIDE_INFRASTRUCTURE = Site.enter(call("infrastructure", "(Z)V", TRUE))
            .onExit(call("infrastructure", "(Z)V", FALSE));

    /** The INSIDE rule of {@code JdkInfrastructure}: JDK methods that start JVM-wide threads or tasks. */
    private void infrastructure() {
        for (io.jcontract.agent.boot.JdkInfrastructure.Entry x : io.jcontract.agent.boot.JdkInfrastructure.insideEntries()) {
            String cls = x.insideClass();
            List<String> methods = x.insideMethods();
            expect(cls, String.join("|", methods));
            put(cls);
            for (String m : methods) put(cls, named(m, INSIDE_INFRASTRUCTURE));
        }
    }

    /** The modules of the classes {@link #infrastructure} weaves (they must read the bridge's module). */
    static java.util.Set<String> infrastructureClasses() {
        java.util.Set<String> out = new java.util.TreeSet<>();
        for (io.jcontract.agent.boot.JdkInfrastructure.Entry x : io.jcontract.agent.boot.JdkInfrastructure.insideEntries())
            out.add(x.insideClass());
        return out;
    }

    // ------------------------------------------------------------------ timer

    private void timer() {
        expect("java/util/Timer", "sched");
        expect("java/util/TimerTask", "cancel");
        expect("java/util/TaskQueue", "clear");
        expect("java/util/TimerThread", "mainLoop");
        put("java/util/Timer", method("sched", "(Ljava/util/TimerTask;JJ)V",
                Site.enter(call("timerSched", "(Ljava/util/TimerTask;J)V", ARG0, ARG2)).onThrow(handoffFailed(ARG0))));
        put("java/util/TimerTask", method("cancel", "()Z", removed(THIS)));
        put("java/util/TaskQueue", method("clear", "()V",
                Site.enter(call("timerCleared", "([Ljava/util/TimerTask;I)V", TASK_QUEUE_ARRAY, TASK_QUEUE_SIZE))));
        Site.Substitution runTask = new Site.Substitution(Opcodes.INVOKEVIRTUAL, "java/util/TimerTask", "run", "()V",
                "runTimerTask", "(Ljava/util/TimerTask;)V");
        put("java/util/TimerThread", named("mainLoop", Site.substitute(runTask)));
    }
}
