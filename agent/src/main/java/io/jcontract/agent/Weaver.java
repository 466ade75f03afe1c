package io.jcontract.agent;

import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.Opcodes;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The agent's class file transformer: decides per class whether {@link Sites}
 * has anything for it and lets {@link HookWeaver} apply it.
 *
 * <h2>Theory of operation</h2>
 * Most decisions are one map probe by class name. Two rules need the class
 * hierarchy: every subclass of {@code Thread} gets the {@code run()} site
 * (the VM calls the possibly overridden {@code run()}), and every concrete
 * {@code CompletableFuture} completion class gets the {@code tryFire} site.
 * Answers are cached by class name: seeded at start-up with every class
 * already loaded ({@link #knownClasses}), and added for each class as it
 * passes through here. For a class being loaded the superclass may not be
 * loaded yet; when the cache does not know it, the chain is read from class
 * files through the defining loader (never by loading classes, which would
 * re-enter this transformer mid-definition). The transformer takes no lock, never skips a class because
 * it is re-entered, and never lets a throwable escape (a class it cannot
 * weave is loaded unchanged and counted in {@link #errors}). A planned class
 * whose file lacks a method the plan expects (another JDK's internals) is
 * woven as far as it goes, and the hole is logged by name and kept in
 * {@link #missing}: never a silent skip.
 */
final class Weaver implements ClassFileTransformer {
    private static final int MAX_DEPTH = 64;

    private final Sites sites;
    private final boolean verbose;
    private final ConcurrentHashMap<String, Boolean> isThread = new ConcurrentHashMap<>();
    /** Classes woven so far, and expected hook sites the JDK's classes did not have. */
    final Set<String> woven = ConcurrentHashMap.newKeySet();
    final List<String> missing = new CopyOnWriteArrayList<>();
    final AtomicInteger errors = new AtomicInteger();

    private final boolean report;

    /** {@code report}: log and record expected sites the JDK lacks (off for the warm-up run). */
    Weaver(Sites sites, boolean verbose, boolean report) {
        this.sites = sites;
        this.verbose = verbose;
        this.report = report;
        isThread.put(Sites.THREAD, true);
        isThread.put("java/lang/Object", false);
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String name, Class<?> redefined,
                            ProtectionDomain pd, byte[] bytes) {
        if (name == null || bytes == null) return null;
        try {
            Function<Site.Shape, Site> plan = planFor(loader, name, redefined, bytes);
            if (plan == null) return null;
            Set<String> hooked = new HashSet<>();
            byte[] out = HookWeaver.weave(bytes, plan, hooked);
            if (out != null) {
                woven.add(name);
                if (verbose) System.err.println("[jcontract-agent] instrumented " + name.replace('/', '.'));
            }
            if (report) for (String m : sites.missing(name, hooked)) {
                String what = name.replace('/', '.') + "." + m;
                missing.add(what);
                System.err.println("[jcontract-agent] warning: no method " + what + " to hook on this JDK ("
                        + Runtime.version() + "); what it tracks is not covered");
            }
            return out;
        } catch (Throwable t) {
            errors.incrementAndGet();
            System.err.println("[jcontract-agent] could not instrument " + name.replace('/', '.') + ": " + t);
            return null;
        }
    }

    Sites sites() {
        return sites;
    }

    /**
     * Seeds the hierarchy cache with classes already loaded (the installer's list at start-up),
     * so that a class loaded later whose superclass is one of them needs no class file read.
     * A name two loaders answer differently is left out, and read from its class file as before.
     */
    void knownClasses(Class<?>[] loaded) {
        java.util.Set<String> ambiguous = new HashSet<>();
        for (Class<?> c : loaded) {
            if (c.isArray() || c.isPrimitive() || c.isHidden()) continue;
            String n = c.getName().replace('.', '/');
            boolean thread = Thread.class.isAssignableFrom(c);
            Boolean prev = isThread.putIfAbsent(n, thread);
            if (prev != null && prev != thread) ambiguous.add(n);
        }
        for (String n : ambiguous) isThread.remove(n);
    }

    private Function<Site.Shape, Site> planFor(ClassLoader loader, String name, Class<?> redefined, byte[] bytes) {
        Function<Site.Shape, Site> named = sites.forClass(name);
        if (named != null) return named;
        if (name.startsWith("io/jcontract/agent/boot/") || name.startsWith("io/jcontract/agent/shaded/")) return null;
        if (sites.hooksCompletions() && name.startsWith(Sites.CF_PREFIX)) {
            ClassReader r = new ClassReader(bytes);
            if ((r.getAccess() & Opcodes.ACC_ABSTRACT) == 0 && extendsClass(loader, r.getSuperName(), Sites.UNI_COMPLETION))
                return Sites.COMPLETIONS;
            return null;
        }
        if (!sites.hooksThreadRun() || name.equals(Sites.VIRTUAL_THREAD)) return null;
        boolean thread;
        if (redefined != null) {
            thread = Thread.class.isAssignableFrom(redefined);
        } else {
            Boolean known = isThreadClass(loader, new ClassReader(bytes).getSuperName(), 0);
            thread = known != null && known;
            if (known != null) isThread.putIfAbsent(name, known);    // its subclasses, loaded later, ask by name
        }
        return thread ? Sites.THREAD_SUBCLASS : null;
    }

    /**
     * Whether {@code internalName} is {@code Thread} or a subclass: from the cache, else by reading
     * class files up the chain; null if the chain cannot be read to its end (a class file missing).
     */
    private Boolean isThreadClass(ClassLoader loader, String internalName, int depth) {
        if (internalName == null || depth > MAX_DEPTH) return null;
        Boolean known = isThread.get(internalName);
        if (known != null) return known;
        String sup = superNameOf(loader, internalName);
        Boolean answer = isThreadClass(loader, sup, depth + 1);
        if (answer != null) isThread.put(internalName, answer);
        return answer;
    }

    private static boolean extendsClass(ClassLoader loader, String internalName, String target) {
        for (int depth = 0; internalName != null && depth < MAX_DEPTH; depth++) {
            if (internalName.equals(target)) return true;
            if (internalName.equals("java/lang/Object")) return false;
            internalName = superNameOf(loader, internalName);
        }
        return false;
    }

    private static String superNameOf(ClassLoader loader, String internalName) {
        String resource = internalName + ".class";
        ClassLoader l = loader != null ? loader : ClassLoader.getPlatformClassLoader();
        try (InputStream in = l.getResourceAsStream(resource)) {
            if (in == null) return null;
            return new ClassReader(in.readAllBytes()).getSuperName();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
