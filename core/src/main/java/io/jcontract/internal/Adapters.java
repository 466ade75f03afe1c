package io.jcontract.internal;

import io.jcontract.LifecycleAdapter;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * The {@link LifecycleAdapter}s on the class path, loaded once with
 * {@link ServiceLoader} through the system class loader (the agent loads
 * them in {@code premain}, before any hook can ask), and the lookup from a
 * just-constructed object to the adapter that owns its class.
 *
 * <p>Immutable once loaded: {@link #all()} publishes one list through a
 * volatile field; a loading race only loads the list twice.
 */
public final class Adapters {
    private static volatile List<LifecycleAdapter> loaded;

    private Adapters() {
    }

    /** Every adapter found (an adapter that fails to load is named on stderr and left out). */
    public static List<LifecycleAdapter> all() {
        List<LifecycleAdapter> l = loaded;
        if (l != null) return l;
        List<LifecycleAdapter> out = new ArrayList<>();
        ClassLoader cl = ClassLoader.getSystemClassLoader();
        var it = ServiceLoader.load(LifecycleAdapter.class, cl).iterator();
        while (true) {
            try {
                if (!it.hasNext()) break;
                out.add(it.next());
            } catch (ServiceConfigurationError e) {
                System.err.println("[jcontract] lifecycle adapter not loaded: " + e);
            }
        }
        loaded = l = List.copyOf(out);
        return l;
    }

    /** The class names every adapter watches (what the agent hooks). */
    public static Set<String> watchedClasses() {
        Set<String> out = new LinkedHashSet<>();
        for (LifecycleAdapter a : all()) out.addAll(a.lifecycleClasses());
        return out;
    }

    /** The adapter one of whose classes {@code o} is an instance of, or null. */
    static LifecycleAdapter forObject(Object o) {
        List<LifecycleAdapter> l = loaded;
        if (l == null || l.isEmpty()) return null;
        for (Class<?> c = o.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            String n = c.getName();
            for (LifecycleAdapter a : l) if (a.lifecycleClasses().contains(n)) return a;
        }
        return null;
    }
}
