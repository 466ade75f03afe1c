package io.jcontract.agent;

import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.Opcodes;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.concurrent.ConcurrentHashMap;
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
 * For a class being loaded the superclass is not loaded yet, so the chain is
 * read from class files through the defining loader (never by loading
 * classes, which would re-enter this transformer mid-definition); answers are
 * cached by name. The transformer takes no lock, never skips a class because
 * it is re-entered, and never lets a throwable escape (a class it cannot
 * weave is loaded unchanged and counted in {@link #errors}).
 */
final class Weaver implements ClassFileTransformer {
    private static final int MAX_DEPTH = 64;

    private final Sites sites;
    private final boolean verbose;
    private final ConcurrentHashMap<String, Boolean> isThread = new ConcurrentHashMap<>();
    final AtomicInteger woven = new AtomicInteger(), errors = new AtomicInteger();

    Weaver(Sites sites, boolean verbose) {
        this.sites = sites;
        this.verbose = verbose;
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
            byte[] out = HookWeaver.weave(bytes, plan);
            if (out != null) {
                woven.incrementAndGet();
                if (verbose) System.err.println("[jcontract-agent] instrumented " + name.replace('/', '.'));
            }
            return out;
        } catch (Throwable t) {
            errors.incrementAndGet();
            System.err.println("[jcontract-agent] could not instrument " + name.replace('/', '.') + ": " + t);
            return null;
        }
    }

    private Function<Site.Shape, Site> planFor(ClassLoader loader, String name, Class<?> redefined, byte[] bytes) {
        Function<Site.Shape, Site> named = sites.forClass(name);
        if (named != null) return named;
        if (name.startsWith("io/jcontract/agent/boot/") || name.startsWith("io/jcontract/agent/shaded/")) return null;
        if (sites.hooksCompletions() && name.startsWith(Sites.CF_PREFIX)) {
            ClassReader r = new ClassReader(bytes);
            if ((r.getAccess() & Opcodes.ACC_ABSTRACT) == 0 && extendsClass(loader, r.getSuperName(), Sites.UNI_COMPLETION))
                return Sites::completionSite;
            return null;
        }
        if (!sites.hooksThreadRun() || name.equals(Sites.VIRTUAL_THREAD)) return null;
        boolean thread = redefined != null ? Thread.class.isAssignableFrom(redefined)
                : isThreadClass(loader, new ClassReader(bytes).getSuperName(), 0);
        return thread ? m -> m.name().equals("run") && m.desc().equals("()V") && !m.isStatic() ? Sites.THREAD_RUN : null
                : null;
    }

    /** Whether {@code internalName} (or null) is {@code Thread} or a subclass, by reading class files. */
    private boolean isThreadClass(ClassLoader loader, String internalName, int depth) {
        if (internalName == null || depth > MAX_DEPTH) return false;
        Boolean known = isThread.get(internalName);
        if (known != null) return known;
        String sup = superNameOf(loader, internalName);
        boolean answer = isThreadClass(loader, sup, depth + 1);
        if (sup != null) isThread.put(internalName, answer);
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
