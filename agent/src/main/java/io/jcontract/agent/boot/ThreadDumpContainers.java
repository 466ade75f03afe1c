package io.jcontract.agent.boot;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.stream.Stream;

/**
 * Shows contracts in the JDK's own thread dump, when this JDK's internals
 * allow: {@link #unsupported()} checks, by reflection and without linking
 * anything, that {@code jdk.internal.vm.ThreadContainer} and
 * {@code ThreadContainers} have every member {@code ContractContainer}
 * uses, with the modifiers it needs (JDK 21 to 25 do); the agent then
 * exports {@code jdk.internal.vm} to the bootstrap loader's unnamed module
 * and calls {@link #install()}, which installs the container factory in
 * {@code io.jcontract.internal.ThreadDumpView}. A JDK that differs is named at start-up and the
 * feature is skipped; nothing is guessed.
 */
public final class ThreadDumpContainers {
    private ThreadDumpContainers() {
    }

    /** What this JDK lacks for the feature, or null if it has everything. */
    public static String unsupported() {
        try {
            Class<?> tc = Class.forName("jdk.internal.vm.ThreadContainer", false, null);
            Class<?> tcs = Class.forName("jdk.internal.vm.ThreadContainers", false, null);
            if (!Modifier.isAbstract(tc.getModifiers()) || !Modifier.isPublic(tc.getModifiers()))
                return "jdk.internal.vm.ThreadContainer is not a public abstract class";
            Constructor<?> ctor = tc.getDeclaredConstructor(boolean.class);
            if (!Modifier.isProtected(ctor.getModifiers()) && !Modifier.isPublic(ctor.getModifiers()))
                return "ThreadContainer(boolean) is not accessible to a subclass";
            String m;
            if ((m = overridable(tc, "threads", Stream.class)) != null) return m;
            if ((m = overridable(tc, "parent", tc)) != null) return m;
            if ((m = overridable(tc, "owner", Thread.class)) != null) return m;
            if ((m = overridable(tc, "toString", String.class)) != null) return m;
            if (!Stream.class.isAssignableFrom(tc.getMethod("children").getReturnType()))
                return "ThreadContainer.children() does not return a Stream";
            Method reg = tcs.getMethod("registerContainer", tc);
            Method dereg = tcs.getMethod("deregisterContainer", Object.class);
            Method root = tcs.getMethod("root");
            for (Method x : new Method[] {reg, dereg, root})
                if (!Modifier.isStatic(x.getModifiers())) return "ThreadContainers." + x.getName() + " is not static";
            if (reg.getReturnType() != Object.class) return "ThreadContainers.registerContainer does not return a key";
            if (root.getReturnType() != tc) return "ThreadContainers.root() does not return a ThreadContainer";
            return null;
        } catch (ClassNotFoundException e) {
            return "no class " + e.getMessage();
        } catch (NoSuchMethodException e) {
            return "no method " + e.getMessage();
        } catch (LinkageError | SecurityException e) {
            return e.toString();
        }
    }

    private static String overridable(Class<?> c, String name, Class<?> returns) throws NoSuchMethodException {
        Method m = c.getMethod(name);
        if (Modifier.isFinal(m.getModifiers())) return "ThreadContainer." + name + "() is final";
        if (!returns.isAssignableFrom(m.getReturnType()) && m.getReturnType() != returns)
            return "ThreadContainer." + name + "() returns " + m.getReturnType().getName();
        return null;
    }

    /**
     * Makes a container for every live contract and every one created from
     * now on. Call only after {@link #unsupported()} returned null and
     * {@code jdk.internal.vm} is exported to this class's module.
     */
    public static void install() throws ReflectiveOperationException {
        // by name: ContractContainer is compiled apart, against jdk.internal.vm, and must not be linked before now
        Class.forName("io.jcontract.agent.boot.ContractContainer", true, ThreadDumpContainers.class.getClassLoader()).getDeclaredMethod("install").invoke(null);
    }
}
