package io.jcontract.testkit;

import java.io.File;
import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * Runs a module of this build on the module path, from a test that itself runs on the class path:
 * the test's class path entries are put in a new {@link ModuleLayer} on top of the boot layer, and
 * the layer's own classes (not the class path's) are used. The adapters' tests use it to check
 * their {@code module-info} as a user's modular application would see it.
 */
public final class ModulePath {
    private ModulePath() {
    }

    /**
     * A layer whose roots are {@code roots}, resolved and bound (as {@code java} does for a
     * modular application) among the test's class path entries that are exploded modules (a
     * directory with a {@code module-info.class}: this build's modules) or jars whose path contains
     * one of {@code jars} (this build's modules as the reactor packages them, e.g. {@code "jcontract-core"},
     * and the libraries they need, e.g. {@code "jctools-core"}).
     */
    public static ModuleLayer layer(Set<String> roots, String... jars) {
        List<Path> entries = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (e.isEmpty()) continue;
            Path p = Path.of(e);
            boolean module = java.nio.file.Files.isRegularFile(p.resolve("module-info.class"));
            for (String j : jars) module |= e.endsWith(".jar") && !e.endsWith("-tests.jar") && e.contains(j);
            if (module) entries.add(p);
        }
        ModuleFinder finder = ModuleFinder.of(entries.toArray(Path[]::new));
        ModuleLayer boot = ModuleLayer.boot();
        Configuration cf = boot.configuration().resolveAndBind(finder, ModuleFinder.of(), roots);
        return boot.defineModulesWithOneLoader(cf, ClassLoader.getPlatformClassLoader());
    }

    /**
     * The providers of service {@code service} (a class of module {@code in}) that
     * {@code ServiceLoader} finds in {@code layer}.
     *
     * @return the class names of the providers, in the order {@code ServiceLoader} gives them
     */
    public static List<String> providers(ModuleLayer layer, String in, String service) throws ClassNotFoundException {
        Class<?> type = layer.findLoader(in).loadClass(service);
        List<String> found = new ArrayList<>();
        for (Object p : ServiceLoader.load(layer, type)) found.add(p.getClass().getName());
        return found;
    }
}
