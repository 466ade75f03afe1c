package io.jcontract.jpms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.StringWriter;
import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JPMS boundary of module {@code io.jcontract}: an application module that requires it can
 * neither compile against {@code io.jcontract.internal} nor reach it by reflection; from the class
 * path (this test's own place) it can, which the README says.
 */
class ModuleBoundaryTest {

    /** Core's compiled classes (with module-info.class) and JCTools: the module path of io.jcontract. */
    private static List<Path> coreModulePath() throws Exception {
        Path classes = Path.of(io.jcontract.Contracts.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assumeTrue(Files.exists(classes.resolve("module-info.class")), () -> "no module-info.class in " + classes);
        List<Path> path = new ArrayList<>(List.of(classes));
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator))
            if (e.contains("jctools-core")) path.add(Path.of(e));
        assertEquals(2, path.size(), () -> "core and jctools-core on the class path: " + path);
        return path;
    }

    private static String modulePath(List<Path> path) {
        return String.join(File.pathSeparator, path.stream().map(Path::toString).toList());
    }

    private static int compile(Path src, Path out, List<Path> modulePath, StringWriter diagnostics) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "a JDK with javac");
        // an explicit, empty class path: without one, javac in this JVM takes java.class.path, where core's
        // classes sit in the unnamed module, and the error becomes "does not read it" instead
        Path noClassPath = out.resolveSibling("empty-class-path");
        try {
            Files.createDirectories(noClassPath);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        List<String> args = new ArrayList<>(List.of("--release", "21", "-d", out.toString(),
                "--class-path", noClassPath.toString(), "--module-path", modulePath(modulePath)));
        try (var files = Files.walk(src)) {
            files.filter(p -> p.toString().endsWith(".java")).forEach(p -> args.add(p.toString()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        java.io.PrintWriter w = new java.io.PrintWriter(diagnostics, true);
        return java.util.spi.ToolProvider.findFirst("javac").orElseThrow().run(w, w, args.toArray(String[]::new));
    }

    private static void write(Path file, String text) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    @Test
    void anApplicationModuleCannotCompileAgainstInternal(@TempDir Path dir) throws Exception {
        List<Path> mp = coreModulePath();
        Path src = dir.resolve("src");
        write(src.resolve("module-info.java"), "module app { requires io.jcontract; }");
        write(src.resolve("app/Bad.java"), """
                package app;
                public class Bad {
                    public static Object table() { return io.jcontract.internal.ContractTable.TABLE; }
                }
                """);
        StringWriter diagnostics = new StringWriter();
        int rc = compile(src, dir.resolve("out"), mp, diagnostics);
        assertTrue(rc != 0, () -> "compiled against io.jcontract.internal: " + diagnostics);
        assertTrue(diagnostics.toString().contains("package io.jcontract.internal is declared in module io.jcontract, which does not export it"),
                () -> "not the not-exported error: " + diagnostics);
    }

    @Test
    void anApplicationModuleCannotReachInternalByReflection(@TempDir Path dir) throws Exception {
        List<Path> mp = coreModulePath();
        Path src = dir.resolve("src");
        write(src.resolve("module-info.java"), "module app { requires io.jcontract; exports app; }");
        write(src.resolve("app/Probe.java"), """
                package app;
                public class Probe {
                    /** Reaches the table through the API (allowed), then the kernel by reflection. */
                    public static String run() {
                        io.jcontract.Contracts.class.getName();
                        try {
                            Class<?> table = Class.forName("io.jcontract.internal.ContractTable", false, Probe.class.getClassLoader());
                            table.getField("TABLE").get(null);
                            return "reached";
                        } catch (IllegalAccessException e) {
                            return "IllegalAccessException: " + e.getMessage();
                        } catch (ReflectiveOperationException e) {
                            return e.toString();
                        }
                    }
                }
                """);
        StringWriter diagnostics = new StringWriter();
        Path out = dir.resolve("out");
        assertEquals(0, compile(src, out, mp, diagnostics), diagnostics::toString);

        List<Path> all = new ArrayList<>(mp);
        all.add(out);
        Configuration cf = ModuleLayer.boot().configuration()
                .resolve(ModuleFinder.of(all.toArray(Path[]::new)), ModuleFinder.of(), Set.of("app"));
        ModuleLayer layer = ModuleLayer.boot().defineModulesWithOneLoader(cf, ClassLoader.getPlatformClassLoader());
        assertTrue(layer.findModule("io.jcontract").orElseThrow().isNamed());
        Class<?> probe = layer.findLoader("app").loadClass("app.Probe");
        String result = (String) probe.getMethod("run").invoke(null);
        assertTrue(result.startsWith("IllegalAccessException") && result.contains("does not export io.jcontract.internal"),
                () -> "reflection from a module reached the kernel: " + result);
    }

    @Test
    void fromTheClassPathInternalIsReachable() throws Exception {
        // This test runs on the class path (the unnamed module): the descriptor does not apply here, so
        // the kernel's public classes are reachable. The README's "Use it from your project" says so;
        // the policy-changing operations check a privilege instead.
        assertTrue(!ModuleBoundaryTest.class.getModule().isNamed());
        Object table = Class.forName("io.jcontract.internal.ContractTable").getField("TABLE").get(null);
        assertNotNull(table);
    }
}
