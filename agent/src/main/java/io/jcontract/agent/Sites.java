package io.jcontract.agent;

import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

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

    private static final String T = "Ljava/lang/Thread;";
    private static final String THROWABLE = "Ljava/lang/Throwable;";
    private static final String OBJ = "Ljava/lang/Object;";
    private static final String CF = "Ljava/util/concurrent/CompletableFuture;";
    private static final String FJT = "Ljava/util/concurrent/ForkJoinTask;";

    /** Per class: from a method to its site (null: leave the method alone). */
    private final Map<String, Function<Site.Shape, Site>> byClass = new HashMap<>();
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

    Function<Site.Shape, Site> forClass(String internalName) {
        return byClass.get(internalName);
    }

    /** The expected sites of {@code internalName} that {@code hooked} (method names) does not cover. */
    List<String> missing(String internalName, Set<String> hooked) {
        List<String> out = new ArrayList<>();
        for (Set<String> alternatives : expected.getOrDefault(internalName, List.of())) {
            if (alternatives.stream().noneMatch(hooked::contains)) out.add(String.join("|", alternatives));
        }
        return out;
    }

    /** Records that {@code cls} must have each of {@code methods} hooked ("a|b": either). */
    private void expect(String cls, String... methods) {
        List<Set<String>> list = expected.computeIfAbsent(cls, k -> new ArrayList<>());
        for (String m : methods) list.add(Set.of(m.split("\\|")));
    }

    boolean hooksThreadRun() {
        return threadRun;
    }

    boolean hooksCompletions() {
        return cfCompletions;
    }

    // ------------------------------------------------------------------ emit helpers

    private static void call(MethodVisitor mv, String name, String desc) {
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, hooksOwner, name, desc, false);
    }

    /** Receiver only: {@code Hooks.name(this)}. */
    private static Site.Emit self(String name, String type) {
        return (mv, m) -> {
            m.loadThis(mv);
            call(mv, name, "(" + type + ")V");
        };
    }

    /** {@code Hooks.name(arg0)}. */
    private static Site.Emit arg0(String name, String type) {
        return (mv, m) -> {
            m.loadArg(mv, 0);
            call(mv, name, "(" + type + ")V");
        };
    }

    private static Site.Emit noArgs(String name) {
        return (mv, m) -> call(mv, name, "()V");
    }

    /** With the throwable on top: {@code Hooks.handoffFailed(task, throwable)}, throwable kept. */
    private static Site.Emit handoffFailed(Site.Emit loadTask) {
        return (mv, m) -> {
            mv.visitInsn(Opcodes.DUP);
            loadTask.emit(mv, m);
            mv.visitInsn(Opcodes.SWAP);
            call(mv, "handoffFailed", "(" + OBJ + THROWABLE + ")V");
        };
    }

    /** With a boolean return value on top: {@code Hooks.removed(value, this-or-arg)}, value kept. */
    private static Site.Emit removed(boolean receiver) {
        return (mv, m) -> {
            mv.visitInsn(Opcodes.DUP);
            if (receiver) m.loadThis(mv);
            else m.loadArg(mv, 0);
            call(mv, "removed", "(Z" + OBJ + ")V");
        };
    }

    private static Site.Emit dep(String hook) {
        return (mv, m) -> {
            if (hook.equals("cfTryFire")) m.loadArg(mv, 0);
            m.loadThis(mv);
            m.loadThis(mv);
            mv.visitFieldInsn(Opcodes.GETFIELD, m.owner(), "dep", CF);
            call(mv, hook, hook.equals("cfTryFire") ? "(I" + OBJ + OBJ + ")V" : "(" + OBJ + OBJ + ")V");
        };
    }

    private void put(String cls, Function<Site.Shape, Site> f) {
        Function<Site.Shape, Site> prev = byClass.get(cls);
        byClass.put(cls, prev == null ? f : m -> {
            Site s = prev.apply(m);
            return s != null ? s : f.apply(m);
        });
    }

    private static boolean is(Site.Shape m, String name, String desc) {
        return m.name().equals(name) && m.desc().equals(desc);
    }

    // ------------------------------------------------------------------ threads

    private static final Site START = Site.enter(self("threadStarting", T))
            .onReturn((mv, m) -> {
                m.loadThis(mv);
                mv.visitInsn(Opcodes.ACONST_NULL);
                call(mv, "threadStarted", "(" + T + THROWABLE + ")V");
            })
            .onThrow((mv, m) -> {
                mv.visitInsn(Opcodes.DUP);
                m.loadThis(mv);
                mv.visitInsn(Opcodes.SWAP);
                call(mv, "threadStarted", "(" + T + THROWABLE + ")V");
            });

    /** The first {@code run()} on a thread binds its member; true from the hook skips a killed one. */
    static final Site THREAD_RUN = Site.skipping((mv, m) -> {
        m.loadThis(mv);
        call(mv, "threadRunning", "(" + T + ")Z");
    }, null);

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
        put(THREAD, m -> {
            if (m.name().equals("start") && !m.isStatic()) return START;
            if (is(m, "run", "()V")) return THREAD_RUN;
            if (is(m, "exit", "()V")) return Site.enter(self("threadExiting", T));
            if (m.name().equals("dispatchUncaughtException") && m.desc().equals("(" + THROWABLE + ")V"))
                return Site.enter((mv, s) -> {
                    s.loadThis(mv);
                    s.loadArg(mv, 0);
                    call(mv, "threadDying", "(" + T + THROWABLE + ")V");
                });
            if (interrupts && is(m, "interrupt", "()V")) return Site.enter(self("interrupting", T));
            if (blocking && blockingThreadMethod(m)) return Site.enter(noArgs("blocking"));
            return null;
        });
        Site virtualRun = Site.skipping((mv, m) -> {
            m.loadThis(mv);
            call(mv, "threadRunning", "(" + T + ")Z");
        }, self("threadExiting", T)).onExit(self("threadExiting", T));
        put(VIRTUAL_THREAD, m -> {
            if (m.name().equals("start") && !m.isStatic()) return START;
            if (is(m, "run", "(Ljava/lang/Runnable;)V")) return virtualRun;
            if (interrupts && is(m, "interrupt", "()V")) return Site.enter(self("interrupting", T));
            return null;
        });
        put(LIFECYCLE, m -> m.name().equals("forkThread") && m.desc().startsWith("(" + T + ")")
                ? Site.exitNormally(arg0("explicitFork", T)) : null);
    }

    /** Interrupt attribution or kill rung 3 without thread tracking. */
    private void threadExtras(Config cfg) {
        boolean interrupts = cfg.on(Config.Path.INTERRUPTS), blocking = cfg.on(Config.Path.BLOCKING);
        if (interrupts) {
            expect(THREAD, "interrupt");
            expect(VIRTUAL_THREAD, "interrupt");
        }
        if (blocking) expect(THREAD, "sleep", "join");
        put(THREAD, m -> {
            if (interrupts && is(m, "interrupt", "()V")) return Site.enter(self("interrupting", T));
            if (blocking && blockingThreadMethod(m)) return Site.enter(noArgs("blocking"));
            return null;
        });
        if (interrupts)
            put(VIRTUAL_THREAD, m -> is(m, "interrupt", "()V") ? Site.enter(self("interrupting", T)) : null);
    }

    private static boolean blockingThreadMethod(Site.Shape m) {
        return (m.name().equals("sleep") && m.isStatic()) || (m.name().equals("join") && !m.isStatic());
    }

    private void blocking() {
        expect("java/lang/Object", "wait");
        expect("java/util/concurrent/locks/LockSupport", "park");
        put("java/lang/Object", m -> is(m, "wait", "(J)V") ? Site.enter(noArgs("blocking")) : null);
        put("java/util/concurrent/locks/LockSupport",
                m -> m.name().startsWith("park") && m.isStatic() ? Site.enter(noArgs("parking")) : null);
    }

    // ------------------------------------------------------------------ executors

    private void executors() {
        String tpe = "java/util/concurrent/ThreadPoolExecutor";
        expect(tpe, "execute", "addWorker", "reject", "shutdownNow", "remove", "runWorker");
        expect("java/util/concurrent/ScheduledThreadPoolExecutor", "delayedExecute");
        expect(tpe + "$DiscardOldestPolicy", "rejectedExecution");
        expect("java/util/concurrent/FutureTask", "cancel", "set", "setException");
        Site.Substitution runInWorker = new Site.Substitution(Opcodes.INVOKEINTERFACE, "java/lang/Runnable", "run",
                "()V", "runPooled", "(Ljava/lang/Runnable;)V");
        put(tpe, m -> {
            if (is(m, "execute", "(Ljava/lang/Runnable;)V")) return Site.enter(arg0("execute", "Ljava/lang/Runnable;"))
                    .onThrow(executeFailed());
            if (m.name().equals("addWorker"))
                return Site.enter((mv, s) -> {
                    s.loadThis(mv);
                    mv.visitInsn(Opcodes.ICONST_1);
                    call(mv, "workerCreationOf", "(" + OBJ + "Z)V");
                }).onReturn((mv, s) -> {
                    s.loadThis(mv);
                    mv.visitInsn(Opcodes.ICONST_0);
                    call(mv, "workerCreationOf", "(" + OBJ + "Z)V");
                }).onThrow((mv, s) -> {
                    s.loadThis(mv);
                    mv.visitInsn(Opcodes.ICONST_0);
                    call(mv, "workerCreationOf", "(" + OBJ + "Z)V");
                });
            if (is(m, "reject", "(Ljava/lang/Runnable;)V")) return Site.enter(arg0("rejected", "Ljava/lang/Runnable;"));
            if (is(m, "shutdownNow", "()Ljava/util/List;"))
                return Site.exitNormally((mv, s) -> {
                    mv.visitInsn(Opcodes.DUP);
                    call(mv, "shutdownNow", "(Ljava/util/List;)V");
                });
            if (is(m, "remove", "(Ljava/lang/Runnable;)Z")) return Site.exitNormally(removed(false));
            if (m.name().equals("runWorker")) return Site.substitute(runInWorker);
            return null;
        });
        put("java/util/concurrent/ScheduledThreadPoolExecutor",
                m -> is(m, "delayedExecute", "(Ljava/util/concurrent/RunnableScheduledFuture;)V")
                        ? Site.enter(arg0("scheduled", "Ljava/util/concurrent/RunnableScheduledFuture;"))
                                .onThrow(handoffFailed((mv, s) -> s.loadArg(mv, 0))) : null);
        Site.Substitution pollOldest = new Site.Substitution(Opcodes.INVOKEINTERFACE, null, "poll",
                "()" + OBJ, "pollDiscarded", "(Ljava/util/Queue;)" + OBJ);
        put(tpe + "$DiscardOldestPolicy",
                m -> m.name().equals("rejectedExecution") ? Site.substitute(pollOldest) : null);
        put("java/util/concurrent/FutureTask", m -> {
            if (is(m, "cancel", "(Z)Z")) return Site.exitNormally(removed(true));
            if (is(m, "set", "(" + OBJ + ")V"))
                return Site.enter((mv, s) -> {
                    s.loadThis(mv);
                    mv.visitInsn(Opcodes.ACONST_NULL);
                    call(mv, "futureCompleting", "(" + OBJ + THROWABLE + ")V");
                });
            if (is(m, "setException", "(" + THROWABLE + ")V"))
                return Site.enter((mv, s) -> {
                    s.loadThis(mv);
                    s.loadArg(mv, 0);
                    call(mv, "futureCompleting", "(" + OBJ + THROWABLE + ")V");
                });
            return null;
        });
    }

    // ------------------------------------------------------------------ fork/join

    private void forkJoin() {
        expect("java/util/concurrent/ForkJoinPool", "poolSubmit|externalSubmit");
        expect("java/util/concurrent/ForkJoinTask", "fork", "doExec");
        put("java/util/concurrent/ForkJoinPool", m -> {
            if (m.isStatic() || !(m.name().equals("poolSubmit") || m.name().equals("externalSubmit"))) return null;
            if (m.args().length == 0 || !m.args()[m.lastArg()].getDescriptor().equals(FJT)) return null;
            Site.Emit task = (mv, s) -> s.loadArg(mv, s.lastArg());
            return Site.enter((mv, s) -> {
                s.loadThis(mv);
                task.emit(mv, s);
                call(mv, "poolSubmit", "(Ljava/util/concurrent/ForkJoinPool;" + FJT + ")V");
            }).onThrow(handoffFailed(task));
        });
        put("java/util/concurrent/ForkJoinTask", m -> {
            if (is(m, "fork", "()" + FJT))
                return Site.enter(self("fork", FJT)).onThrow(handoffFailed((mv, s) -> s.loadThis(mv)));
            if (m.name().equals("doExec") && m.desc().startsWith("()"))   // ()I up to JDK 24, ()V since
                return Site.enter(self("doExecBegin", FJT)).onExit(self("doExecEnd", FJT));
            return null;
        });
    }

    // ------------------------------------------------------------------ CompletableFuture

    private void completableFuture() {
        expect("java/util/concurrent/CompletableFuture", "completeThrowable");
        expect(CF_PREFIX + "AsyncSupply", "run");
        expect(CF_PREFIX + "AsyncRun", "run");
        put("java/util/concurrent/CompletableFuture", m -> m.name().equals("completeThrowable")
                && m.desc().startsWith("(" + THROWABLE + ")")
                ? Site.enter((mv, s) -> {
                    s.loadThis(mv);
                    s.loadArg(mv, 0);
                    call(mv, "cfThrew", "(" + OBJ + THROWABLE + ")V");
                }) : null);
        Function<Site.Shape, Site> asyncRun = m -> is(m, "run", "()V") ? Site.enter(dep("cfAsyncRun")) : null;
        put(CF_PREFIX + "AsyncSupply", asyncRun);
        put(CF_PREFIX + "AsyncRun", asyncRun);
    }

    /** For a concrete subclass of {@code CompletableFuture.UniCompletion}: its {@code tryFire(int)}. */
    static Site completionSite(Site.Shape m) {
        return m.name().equals("tryFire") && m.desc().startsWith("(I)") ? Site.enter(dep("cfTryFire")) : null;
    }

    // ------------------------------------------------------------------ ownership

    /** At every constructor's return: {@code Hooks.created(this)} (see {@code Ownership}). */
    private static final Site CREATED = Site.exitNormally(self("created", OBJ));

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
            put(cls, m -> m.name().equals("<init>") && !m.desc().equals("(B)V") ? CREATED : null);
        }
        for (String binary : libraryClasses) {
            String cls = binary.replace('.', '/');
            put(cls, m -> m.name().equals("<init>") ? CREATED : null);
        }
    }

    // ------------------------------------------------------------------ tasks dropped without running

    /** With the throwable on top: {@code Hooks.executeFailed(task, throwable)}, throwable kept. */
    private static Site.Emit executeFailed() {
        return (mv, m) -> {
            mv.visitInsn(Opcodes.DUP);
            m.loadArg(mv, 0);
            mv.visitInsn(Opcodes.SWAP);
            call(mv, "executeFailed", "(" + OBJ + THROWABLE + ")V");
        };
    }

    /** With a returned task on top: {@code Hooks.taken(task)}, task kept. */
    private static final Site TAKEN = Site.exitNormally((mv, m) -> {
        mv.visitInsn(Opcodes.DUP);
        call(mv, "taken", "(" + OBJ + ")V");
    });

    /**
     * Issue 12 item 6: the ways a pool hands a queued task back, or loses it, without running it.
     * A {@code decorateTask} wrapper is linked to the task it wraps (the {@code ScheduledFutureTask}
     * the same thread made just before scheduling the wrapper: an override of {@code decorateTask}
     * need not call the pool's own), so that cancelling either settles the wrapper's pending member.
     */
    private void executorDrops() {
        String sft = "java/util/concurrent/ScheduledThreadPoolExecutor$ScheduledFutureTask";
        expect(sft, "<init>");
        put(sft, m -> m.name().equals("<init>") ? Site.exitNormally(self("scheduledTaskMade", OBJ)) : null);
    }

    private void forkJoinDrops() {
        String fjt = "java/util/concurrent/ForkJoinTask", fjp = "java/util/concurrent/ForkJoinPool";
        expect(fjt, "tryUnfork", "pollNextLocalTask", "pollTask", "pollSubmission", "cancel");
        expect(fjp, "pollSubmission", "drainTasksTo");
        String interruptible = fjt + "$InterruptibleTask";    // submit(Runnable/Callable)'s tasks override cancel
        expect(interruptible, "cancel");
        put(interruptible, m -> is(m, "cancel", "(Z)Z") ? Site.exitNormally(removed(true)) : null);
        put(fjt, m -> {
            if (is(m, "tryUnfork", "()Z") || is(m, "cancel", "(Z)Z")) return Site.exitNormally(removed(true));
            if (m.isStatic() && m.desc().equals("()" + FJT) && (m.name().equals("pollNextLocalTask")
                    || m.name().equals("pollTask") || m.name().equals("pollSubmission"))) return TAKEN;
            return null;
        });
        Site.Substitution drained = new Site.Substitution(Opcodes.INVOKEINTERFACE, "java/util/Collection", "add",
                "(" + OBJ + ")Z", "drainedTo", "(Ljava/util/Collection;" + OBJ + ")Z");
        put(fjp, m -> {
            if (!m.isStatic() && is(m, "pollSubmission", "()" + FJT)) return TAKEN;
            if (m.name().equals("drainTasksTo")) return Site.substitute(drained);
            return null;
        });
    }

    // ------------------------------------------------------------------ infrastructure

    /** {@code Hooks.infrastructure(entering)}. */
    private static Site.Emit infra(boolean entering) {
        return (mv, m) -> {
            mv.visitInsn(entering ? Opcodes.ICONST_1 : Opcodes.ICONST_0);
            call(mv, "infrastructure", "(Z)V");
        };
    }

    private static final Site INSIDE_INFRASTRUCTURE = Site.enter(infra(true)).onExit(infra(false));

    /** The INSIDE rule of {@code JdkInfrastructure}: JDK methods that start JVM-wide threads or tasks. */
    private void infrastructure() {
        for (io.jcontract.agent.boot.JdkInfrastructure.Entry x : io.jcontract.agent.boot.JdkInfrastructure.insideEntries()) {
            String cls = x.insideClass();
            List<String> methods = x.insideMethods();
            expect(cls, String.join("|", methods));
            put(cls, m -> methods.contains(m.name()) ? INSIDE_INFRASTRUCTURE : null);
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
        Site.Emit task = (mv, s) -> s.loadArg(mv, 0);
        put("java/util/Timer", m -> is(m, "sched", "(Ljava/util/TimerTask;JJ)V")
                ? Site.enter((mv, s) -> {
                    s.loadArg(mv, 0);
                    s.loadArg(mv, 2);
                    call(mv, "timerSched", "(Ljava/util/TimerTask;J)V");
                }).onThrow(handoffFailed(task)) : null);
        put("java/util/TimerTask", m -> is(m, "cancel", "()Z") ? Site.exitNormally(removed(true)) : null);
        put("java/util/TaskQueue", m -> is(m, "clear", "()V") ? Site.enter((mv, s) -> {
            s.loadThis(mv);
            mv.visitFieldInsn(Opcodes.GETFIELD, "java/util/TaskQueue", "queue", "[Ljava/util/TimerTask;");
            s.loadThis(mv);
            mv.visitFieldInsn(Opcodes.GETFIELD, "java/util/TaskQueue", "size", "I");
            call(mv, "timerCleared", "([Ljava/util/TimerTask;I)V");
        }) : null);
        Site.Substitution runTask = new Site.Substitution(Opcodes.INVOKEVIRTUAL, "java/util/TimerTask", "run", "()V",
                "runTimerTask", "(Ljava/util/TimerTask;)V");
        put("java/util/TimerThread", m -> m.name().equals("mainLoop") ? Site.substitute(runTask) : null);
    }
}
