package io.jcontract.agent;

import io.jcontract.agent.boot.Bridge;
import io.jcontract.agent.boot.Hooks;

import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Installs the hooks: a {@link Weaver} registered as a retransforming class
 * file transformer, then a retransformation of the classes it wants that are
 * already loaded (the JDK's own are, by the time premain runs). Runs after
 * the bridge is reachable from the JDK (the lookup bridge, or the boot jar).
 *
 * <p>Order matters for completeness: the transformer is registered before the
 * loaded classes are listed, so a class is either loaded after registration
 * (and woven as it loads) or in the list (and retransformed); the weaver never
 * skips a class because it is re-entered. It is also run once over a class
 * before registration, so that its own classes and ASM's are loaded before
 * any JDK class can reach it.
 */
final class Installer {
    /** The weaver in service (null before installation): what it wove and missed, for tests and tools. */
    static volatile Weaver weaver;

    private Installer() {
    }

    static void install(String args, Instrumentation inst, long t0) throws Exception {
        install(args, inst, t0, false);
    }

    /** {@code lookup}: the bridge is reached through {@link LookupBridge}'s facade, not the bootstrap path. */
    static void install(String args, Instrumentation inst, long t0, boolean lookup) throws Exception {
        Config cfg = Config.parse(args);
        long tBoot = System.nanoTime();
        Bridge.verbose = cfg.verbose;
        Bridge.threads = cfg.on(Config.Path.THREADS);
        Bridge.tasks = true;
        Bridge.completableFuture = cfg.on(Config.Path.COMPLETABLEFUTURE);
        Bridge.interrupts = cfg.on(Config.Path.INTERRUPTS);
        Bridge.blocking = cfg.on(Config.Path.BLOCKING);
        Bridge.preload();
        if (lookup) Sites.hooksOwner = Sites.substitutionOwner = LookupBridge.install(inst);
        // initialised here, not from the first hook inside a JDK path
        Class.forName(Hooks.class.getName(), true, lookup ? Hooks.class.getClassLoader() : null);
        long tPreload = System.nanoTime();

        // java.base calls into the bridge, which lives in the bootstrap loader's unnamed module.
        Module bridge = Bridge.class.getModule();
        // It also reads the Runnable inside ForkJoinPool's adapter tasks (Bridge.openForkJoinAdapters).
        inst.redefineModule(Object.class.getModule(), Set.of(bridge), Map.of(),
                Map.of("java.util.concurrent", Set.of(bridge)), Set.of(), Map.of());
        Bridge.openForkJoinAdapters();
        ThreadDumpInstaller.install(inst, cfg.verbose);
        readBridgeFromInfrastructureModules(inst, bridge);

        // java.net.http's HttpClientImpl is hooked too (ownership by creation), when the module is there.
        java.util.Optional<Module> http = ModuleLayer.boot().findModule("java.net.http");
        if (http.isPresent()) inst.redefineModule(http.get(), Set.of(bridge), Map.of(), Map.of(), Set.of(), Map.of());
        // The lifecycle adapters on the class path name the library classes whose construction to see.
        cfg.libraryClasses = io.jcontract.internal.Adapters.watchedClasses();
        if (cfg.verbose && !cfg.libraryClasses.isEmpty())
            System.err.println("[jcontract-agent] lifecycle adapters watch " + cfg.libraryClasses);

        Sites sites = new Sites(cfg);
        warmUp(new Weaver(sites, false, false));
        Weaver live = new Weaver(sites, cfg.verbose, true);
        Installer.weaver = live;
        inst.addTransformer(live, true);
        long tBuilt = System.nanoTime();

        List<Class<?>> targets = new ArrayList<>();
        Class<?>[] loaded = inst.getAllLoadedClasses();
        live.knownClasses(loaded);
        for (Class<?> c : loaded) {
            if (!inst.isModifiableClass(c) || c.isHidden() || c.isArray() || c.isPrimitive()) continue;
            String n = c.getName().replace('.', '/');
            if (sites.forClass(n) != null
                    || (sites.hooksThreadRun() && Thread.class.isAssignableFrom(c) && !n.startsWith("io/jcontract/agent/boot/"))
                    || (sites.hooksCompletions() && n.startsWith(Sites.CF_PREFIX)))
                targets.add(c);
        }
        if (!targets.isEmpty() && AotTraining.dumping(inst)) {
            System.err.println("[jcontract-agent] warning: this JVM dumps a class-data archive (AOT training run):"
                    + " the " + targets.size() + " JDK classes loaded before the agent are not instrumented in this run"
                    + " (retransforming them crashes the JDK's archive dump)");
            targets.clear();
        }
        if (!targets.isEmpty()) inst.retransformClasses(targets.toArray(new Class<?>[0]));
        long tEnd = System.nanoTime();
        if (cfg.verbose)
            System.err.printf("[jcontract-agent] boot jar %d ms, bridge preload %d ms, weaver %d ms, retransform %d ms%n",
                    (tBoot - t0) / 1_000_000, (tPreload - tBoot) / 1_000_000, (tBuilt - tPreload) / 1_000_000,
                    (tEnd - tBuilt) / 1_000_000);
        if (cfg.verbose || live.errors.get() > 0)
            System.err.println("[jcontract-agent] installed in " + (tEnd - t0) / 1_000_000 + " ms: paths " + cfg.paths
                    + ", " + live.woven.size() + " classes instrumented, " + live.errors.get() + " errors");
    }

    /**
     * The JDK methods of the infrastructure table outside java.base (JFR, the management agent,
     * preferences) call the bridge too: their modules must read its module.
     */
    private static void readBridgeFromInfrastructureModules(Instrumentation inst, Module bridge) {
        Set<Module> done = new java.util.HashSet<>();
        for (String cls : Sites.infrastructureClasses()) {
            String pkg = cls.substring(0, cls.lastIndexOf('/')).replace('/', '.');
            for (Module m : ModuleLayer.boot().modules()) {
                if (!m.getPackages().contains(pkg) || m == Object.class.getModule() || !done.add(m)) continue;
                inst.redefineModule(m, Set.of(bridge), Map.of(), Map.of(), Set.of(), Map.of());
            }
        }
    }

    /** Weaves Thread's class file once, off the record, so no JDK class load finds the weaver cold. */
    private static void warmUp(Weaver w) throws Exception {
        try (InputStream in = ClassLoader.getPlatformClassLoader().getResourceAsStream("java/lang/Thread.class")) {
            if (in != null) w.transform(Object.class.getModule(), null, "java/lang/Thread", null, null, in.readAllBytes());
        }
        if (w.errors.get() > 0) throw new IllegalStateException("jcontract agent: cannot weave java.lang.Thread");
    }
}
