package io.jcontract.agent;

import io.jcontract.agent.boot.Bridge;
import io.jcontract.agent.boot.Hooks;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

import java.lang.instrument.Instrumentation;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How the woven JDK code reaches the bridge by default ({@code loader=lookup}): no jar is appended to
 * the bootstrap class path, so the JVM keeps class-data sharing (AppCDS, the JDK 25 AOT cache) for
 * every loader. The older way, the boot jar on the bootstrap class path, stays available as
 * {@code loader=boot} (agent argument, or {@code -Djcontract.agent.loader=boot}).
 *
 * <h2>Theory of operation</h2>
 * The agent jar is on the application class path (the JVM puts it there for {@code -javaagent}), so
 * the bridge, the core and JCTools are loaded from it by the application loader, once: a
 * jcontract-core on the class path resolves to the same loader (whichever jar comes first), and a
 * fat jar's nested loader delegates to it parent-first. The woven JDK code cannot see that loader,
 * so one class is defined in {@code java.base} instead, {@value #FACADE} (through a lookup on
 * {@code java.lang.Object} that {@code Instrumentation.redefineModule} opened {@code java.lang} to this
 * module for): an abstract class with, for each public static method of {@link Hooks}, a static
 * method of the same name and descriptor that calls the abstract instance method {@code d$name} on
 * the one delegate in its static volatile field {@code D}; a null delegate does nothing (returns
 * the type's zero), which is the root contract's behaviour, but the delegate is set before the
 * weaver is registered, so no woven code runs before it. The delegate is a subclass generated here and
 * defined next to {@link Hooks} (same loader and package), whose methods call {@link Hooks}.
 * Both are generated from the signatures of {@link Hooks} and of {@link Bridge} (whose methods the
 * worker-loop substitutions call, under the prefix {@value #BRIDGE_PREFIX}), so the table of hooks stays
 * in one place. Those substitutions stand for the JDK's own call, so a null delegate there would drop
 * the task: hence the delegate is set first.
 * The woven code names the facade instead of {@link Hooks} ({@link Sites#hooksOwner}).
 */
final class LookupBridge {
    static final String FACADE = io.jcontract.internal.Ownership.AGENT_FACADE;
    private static final String FACADE_INTERNAL = FACADE.replace('.', '/');
    private static final String DELEGATE_INTERNAL = "io/jcontract/agent/boot/HooksDelegate";

    private LookupBridge() {
    }

    /**
     * Whether this start uses the lookup bridge: as asked for ({@link #requested}), else yes, unless
     * another jar on the class path comes before this one with the core's classes. Then the
     * application loader would take the core from that jar (with JCTools under its own, unshaded
     * name, which it may not have) while the bridge comes from this one, so the boot jar is used:
     * the bootstrap copy wins over any other, as it always did.
     */
    static boolean chosen(String args) {
        String asked = asked(args);
        return asked == null ? !coreShadowed() : isLookup(asked);
    }

    /** Whether the application loader finds the core in a jar other than this agent's own. */
    static boolean coreShadowed() {
        try {
            java.net.URL mine = JContractAgent.class.getProtectionDomain().getCodeSource().getLocation();
            java.net.URL first = ClassLoader.getSystemClassLoader().getResource("io/jcontract/internal/ContractTable.class");
            return first != null && !first.toString().equals("jar:" + mine + "!/io/jcontract/internal/ContractTable.class");
        } catch (RuntimeException e) {
            return true;        // cannot tell: the bootstrap path is right in every case
        }
    }

    /** The loader named by the agent argument (which wins) or the system property, or null. */
    private static String asked(String args) {
        String chosen = System.getProperty("jcontract.agent.loader");
        if (chosen != null) chosen = chosen.trim().toLowerCase(java.util.Locale.ROOT);
        if (args != null) {
            for (String t : args.split("[,;]")) {
                String tok = t.trim().toLowerCase(java.util.Locale.ROOT);
                if (tok.startsWith("loader=")) chosen = tok.substring("loader=".length());
            }
        }
        return chosen;
    }

    /**
     * Whether the loader asked for is the lookup bridge: yes unless {@code loader=boot} is asked for,
     * by the agent argument (which wins) or the system property {@code jcontract.agent.loader}.
     *
     * @throws IllegalArgumentException for a loader other than {@code lookup} or {@code boot}
     */
    static boolean requested(String args) {
        String asked = asked(args);
        return asked == null || isLookup(asked);
    }

    private static boolean isLookup(String loader) {
        if (loader.equals("lookup")) return true;
        if (loader.equals("boot")) return false;
        throw new IllegalArgumentException("jcontract agent: unknown loader '" + loader + "' (known: lookup, the default; boot)");
    }

    /** The agent arguments without the {@code loader=} token (the rest is {@link Config}'s). */
    static String withoutLoaderToken(String args) {
        if (args == null) return null;
        StringBuilder sb = new StringBuilder();
        for (String t : args.split("[,;]")) {
            if (t.trim().toLowerCase(java.util.Locale.ROOT).startsWith("loader=")) continue;
            if (sb.length() > 0) sb.append(',');
            sb.append(t);
        }
        return sb.toString();
    }

    /** Defines the facade in java.base and installs the delegate; returns the facade's internal name. */
    static String install(Instrumentation inst) throws ReflectiveOperationException {
        Module self = LookupBridge.class.getModule();
        inst.redefineModule(Object.class.getModule(), Set.of(), Map.of(),
                Map.of("java.lang", Set.of(self)), Set.of(), Map.of());
        List<Method> hooks = hooks();
        MethodHandles.Lookup inJavaLang = MethodHandles.privateLookupIn(Object.class, MethodHandles.lookup());
        Class<?> facade;
        try {
            facade = Class.forName(FACADE, false, null);
        } catch (ClassNotFoundException notYet) {
            facade = inJavaLang.defineClass(facade(hooks));
        }
        MethodHandles.Lookup inBoot = MethodHandles.privateLookupIn(Hooks.class, MethodHandles.lookup());
        Class<?> delegate = inBoot.defineClass(delegate(hooks));
        Object d = delegate.getConstructor().newInstance();
        facade.getField("D").set(null, d);
        return FACADE_INTERNAL;
    }

    /** The facade's name for {@code m}: Hooks' methods keep theirs, Bridge's (the substitutions) get {@value #BRIDGE_PREFIX}. */
    private static String name(Method m) {
        return m.getDeclaringClass() == Hooks.class ? m.getName() : BRIDGE_PREFIX + m.getName();
    }

    /** The prefix of the facade's methods that stand for {@link Bridge}'s (what the worker-loop substitutions call). */
    static final String BRIDGE_PREFIX = "b$";

    private static List<Method> hooks() {
        List<Method> out = new ArrayList<>();
        for (Class<?> c : List.of(Hooks.class, Bridge.class)) {
            for (Method m : c.getDeclaredMethods()) {
                int mod = m.getModifiers();
                if (Modifier.isPublic(mod) && Modifier.isStatic(mod) && !m.isSynthetic()) out.add(m);
            }
        }
        out.sort(new ByFacadeName());
        return out;
    }

    /** By facade name, then descriptor: a fixed order for the generated methods (a class, not a lambda: start-up). */
    private static final class ByFacadeName implements Comparator<Method> {
        @Override
        public int compare(Method a, Method b) {
            return key(a).compareTo(key(b));
        }

        private static String key(Method m) {
            return name(m) + Type.getMethodDescriptor(m);
        }
    }

    private static byte[] facade(List<Method> hooks) {
        // frames: one branch target per method, reached by one edge, so no common super class is asked for
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES);
        cw.visit(Opcodes.V21, Opcodes.ACC_PUBLIC | Opcodes.ACC_ABSTRACT | Opcodes.ACC_SUPER, FACADE_INTERNAL, null,
                "java/lang/Object", null);
        String self = "L" + FACADE_INTERNAL + ";";
        cw.visitField(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC | Opcodes.ACC_VOLATILE, "D", self, null, null).visitEnd();
        MethodVisitor init = cw.visitMethod(Opcodes.ACC_PROTECTED, "<init>", "()V", null, null);
        init.visitCode();
        init.visitVarInsn(Opcodes.ALOAD, 0);
        init.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        init.visitInsn(Opcodes.RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();
        for (Method m : hooks) {
            String desc = Type.getMethodDescriptor(m);
            cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_ABSTRACT, "d$" + name(m), desc, null, null).visitEnd();
            MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, name(m), desc, null, null);
            mv.visitCode();
            mv.visitFieldInsn(Opcodes.GETSTATIC, FACADE_INTERNAL, "D", self);
            mv.visitVarInsn(Opcodes.ASTORE, slots(m));
            mv.visitVarInsn(Opcodes.ALOAD, slots(m));
            net.bytebuddy.jar.asm.Label none = new net.bytebuddy.jar.asm.Label();
            mv.visitJumpInsn(Opcodes.IFNULL, none);
            mv.visitVarInsn(Opcodes.ALOAD, slots(m));
            loadArgs(mv, m, 0);
            mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, FACADE_INTERNAL, "d$" + name(m), desc, false);
            mv.visitInsn(Type.getType(m.getReturnType()).getOpcode(Opcodes.IRETURN));
            mv.visitLabel(none);
            zero(mv, m.getReturnType());
            mv.visitMaxs(0, 0);
            mv.visitEnd();
        }
        cw.visitEnd();
        return cw.toByteArray();
    }

    private static byte[] delegate(List<Method> hooks) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        cw.visit(Opcodes.V21, Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL | Opcodes.ACC_SUPER, DELEGATE_INTERNAL, null,
                FACADE_INTERNAL, null);
        MethodVisitor init = cw.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "()V", null, null);
        init.visitCode();
        init.visitVarInsn(Opcodes.ALOAD, 0);
        init.visitMethodInsn(Opcodes.INVOKESPECIAL, FACADE_INTERNAL, "<init>", "()V", false);
        init.visitInsn(Opcodes.RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();
        for (Method m : hooks) {
            String desc = Type.getMethodDescriptor(m);
            MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC, "d$" + name(m), desc, null, null);
            mv.visitCode();
            loadArgs(mv, m, 1);
            mv.visitMethodInsn(Opcodes.INVOKESTATIC, Type.getInternalName(m.getDeclaringClass()), m.getName(), desc, false);
            mv.visitInsn(Type.getType(m.getReturnType()).getOpcode(Opcodes.IRETURN));
            mv.visitMaxs(0, 0);
            mv.visitEnd();
        }
        cw.visitEnd();
        return cw.toByteArray();
    }

    /** The number of local slots the arguments of static {@code m} take. */
    private static int slots(Method m) {
        int n = 0;
        for (Class<?> p : m.getParameterTypes()) n += Type.getType(p).getSize();
        return n;
    }

    private static void loadArgs(MethodVisitor mv, Method m, int first) {
        int slot = first;
        for (Class<?> p : m.getParameterTypes()) {
            Type t = Type.getType(p);
            mv.visitVarInsn(t.getOpcode(Opcodes.ILOAD), slot);
            slot += t.getSize();
        }
    }

    private static void zero(MethodVisitor mv, Class<?> r) {
        if (r == void.class) {
            mv.visitInsn(Opcodes.RETURN);
        } else if (!r.isPrimitive()) {
            mv.visitInsn(Opcodes.ACONST_NULL);
            mv.visitInsn(Opcodes.ARETURN);
        } else if (r == long.class) {
            mv.visitInsn(Opcodes.LCONST_0);
            mv.visitInsn(Opcodes.LRETURN);
        } else if (r == float.class) {
            mv.visitInsn(Opcodes.FCONST_0);
            mv.visitInsn(Opcodes.FRETURN);
        } else if (r == double.class) {
            mv.visitInsn(Opcodes.DCONST_0);
            mv.visitInsn(Opcodes.DRETURN);
        } else {
            mv.visitInsn(Opcodes.ICONST_0);
            mv.visitInsn(Opcodes.IRETURN);
        }
    }
}
