package io.jcontract.agent.cli;

import java.io.File;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;

/**
 * The command {@code ctrun} runs: a main class (on {@code -cp}, else on this
 * JVM's class path) or an executable jar, with its arguments.
 *
 * <h2>Theory of operation</h2>
 * Where ctrun(1) forks and execs, ctrun here starts a thread that calls the
 * command's {@code main}: {@link #load()} is the exec. Each load makes a
 * new class loader over {@code -cp} or the jar, so a restarted command
 * starts with fresh static state as a re-exec'd process would; a command
 * on the JVM's own class path shares it. The statuses follow the shell:
 * 127 when the command is not found (no such class or jar), 126 when it
 * cannot run (no {@code public static void main(String[])}), and for a
 * command that ran: 0 when main returned, 1 when it threw (what {@code java}
 * returns), 123 ({@link #BAD_CHILD}) for a {@link VirtualMachineError},
 * ctrun(1)'s status for a child it cannot emulate.
 */
record Command(String mainClass, Path jar, List<Path> classPath, String[] args) {
    static final int NOT_FOUND = 127;
    static final int CANNOT_RUN = 126;
    static final int BAD_CHILD = 123;

    /** A command that could not be loaded, with the shell's status. */
    static final class LoadError extends Exception {
        final int status;

        LoadError(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    static List<Path> parseClassPath(String cp) {
        List<Path> out = new ArrayList<>();
        for (String entry : cp.split(File.pathSeparator)) if (!entry.isEmpty()) out.add(Path.of(entry));
        return out;
    }

    /** Loads the command afresh and returns its main method, bound to its arguments. */
    MethodHandle load() throws LoadError {
        String name = mainClass;
        List<URL> urls = new ArrayList<>();
        try {
            if (jar != null) {
                if (!Files.isRegularFile(jar)) throw new LoadError(NOT_FOUND, "no such jar file: " + jar);
                try (JarFile jf = new JarFile(jar.toFile())) {
                    var mf = jf.getManifest();
                    name = mf == null ? null : mf.getMainAttributes().getValue("Main-Class");
                } catch (IOException e) {
                    throw new LoadError(CANNOT_RUN, "cannot read jar " + jar + ": " + e.getMessage());
                }
                if (name == null) throw new LoadError(CANNOT_RUN, "no Main-Class in the manifest of " + jar);
                urls.add(jar.toUri().toURL());
            }
            for (Path p : classPath) urls.add(p.toUri().toURL());
        } catch (MalformedURLException e) {
            throw new LoadError(NOT_FOUND, "bad class path entry: " + e.getMessage());
        }
        ClassLoader loader = urls.isEmpty() ? ClassLoader.getSystemClassLoader()
                : new URLClassLoader("ctrun", urls.toArray(URL[]::new), ClassLoader.getSystemClassLoader());
        Class<?> main;
        try {
            main = Class.forName(name, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new LoadError(NOT_FOUND, "main class " + name + " not found" + (jar != null ? " in " + jar
                    : classPath.isEmpty() ? " on the class path (give -cp or -jar)" : " on " + classPath));
        }
        try {
            MethodHandle mh = MethodHandles.publicLookup().findStatic(main, "main",
                    MethodType.methodType(void.class, String[].class));
            return mh.bindTo(args.clone());
        } catch (NoSuchMethodException | IllegalAccessException e) {
            throw new LoadError(CANNOT_RUN, "class " + name + " has no public static void main(String[])");
        }
    }

    String describe() {
        return (jar != null ? "-jar " + jar : mainClass) + (args.length == 0 ? "" : " " + String.join(" ", args));
    }
}
