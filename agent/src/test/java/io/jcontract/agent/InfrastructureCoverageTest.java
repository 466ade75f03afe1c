package io.jcontract.agent;

import io.jcontract.agent.boot.JdkInfrastructure;
import io.jcontract.agent.boot.JdkInfrastructure.Entry;
import io.jcontract.agent.boot.JdkInfrastructure.Rule;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The infrastructure table ({@link JdkInfrastructure}) against the running JDK, as
 * {@link WeaverCoverageTest} checks {@code Sites}: every class of the JDK's modules that creates
 * or starts threads is classified (so a JDK that adds a kind of JVM-wide thread is named here
 * instead of captured as a member), every listed class, thread class and woven method exists,
 * and the INSIDE methods were woven.
 */
class InfrastructureCoverageTest {
    /** Per class of the JDK (internal name): its module, and its methods. */
    private static final Map<String, String> MODULE_OF = new HashMap<>();
    private static final Map<String, Set<String>> METHODS = new HashMap<>();
    /** Classes that create or start threads, with how. */
    private static final Map<String, Set<String>> CREATORS = new TreeMap<>();

    @BeforeAll
    static void scanTheJdk() throws Exception {
        FileSystem jrt = FileSystems.getFileSystem(URI.create("jrt:/"));
        try (Stream<Path> files = Files.walk(jrt.getPath("/modules"))) {
            for (Path p : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".class"))::iterator) {
                String module = p.getName(1).toString();
                ClassReader r = new ClassReader(Files.readAllBytes(p));
                String cls = r.getClassName();
                MODULE_OF.put(cls, module);
                Set<String> methods = METHODS.computeIfAbsent(cls, k -> new HashSet<>());
                boolean scanned = !JdkInfrastructure.UNSCANNED_MODULES.contains(module) && !cls.equals("java/lang/Thread")
                        && !cls.startsWith("java/lang/Thread$");
                r.accept(new ClassVisitor(Opcodes.ASM9) {
                    @Override
                    public MethodVisitor visitMethod(int access, String name, String desc, String sig, String[] ex) {
                        methods.add(name);
                        if (!scanned) return null;
                        return new MethodVisitor(Opcodes.ASM9) {
                            @Override
                            public void visitMethodInsn(int op, String owner, String n, String d, boolean itf) {
                                String how = creation(owner, n, d);
                                if (how != null) CREATORS.computeIfAbsent(cls, k -> new TreeSet<>()).add(how + " in " + name);
                            }
                        };
                    }
                }, ClassReader.SKIP_FRAMES | ClassReader.SKIP_DEBUG);
            }
        }
    }

    /** How a call creates or starts a thread, or null. */
    static String creation(String owner, String name, String desc) {
        if (owner.equals("java/lang/Thread") && name.equals("<init>")) return "new Thread";
        if (owner.equals("jdk/internal/misc/InnocuousThread") && name.startsWith("new")) return "InnocuousThread." + name;
        if (name.equals("start") && desc.equals("()V") && owner.endsWith("Thread")) return "start";
        if (name.equals("start") && (owner.equals("jdk/internal/access/JavaLangAccess") || owner.endsWith("ThreadContainer")))
            return "container start";
        if (owner.startsWith("java/lang/Thread$Builder") && (name.equals("start") || name.equals("unstarted")
                || name.equals("factory"))) return "Thread builder " + name;
        if (owner.equals("java/lang/Thread") && (name.equals("startVirtualThread") || name.equals("ofPlatform")
                || name.equals("ofVirtual"))) return "Thread." + name;
        return null;
    }

    private static List<Entry> applicable() {
        int feature = Runtime.version().feature();
        return JdkInfrastructure.TABLE.stream().filter(e -> e.minJdk() <= feature).toList();
    }

    @Test
    void everyClassOfTheJdkThatCreatesThreadsIsClassified() {
        assertTrue(CREATORS.containsKey("sun/nio/ch/Poller$Pollers"), "the scan sees the JDK's own thread starts");
        Set<String> classified = new HashSet<>();
        for (Entry e : JdkInfrastructure.TABLE) classified.add(e.site());
        Map<String, Set<String>> unclassified = new TreeMap<>();
        CREATORS.forEach((cls, how) -> {
            if (!classified.contains(cls)) unclassified.put(MODULE_OF.get(cls) + " " + cls, how);
        });
        assertEquals(Map.of(), unclassified, "JDK classes that create threads and are not in JdkInfrastructure.TABLE"
                + " (classify each: infrastructure by THREAD_CLASS, THREAD_GROUP or INSIDE, or POOL_WORKER/PER_USE)");
    }

    @Test
    void everyListedClassThreadClassAndMethodExistsInThisJdk() throws Exception {
        Set<String> missing = new TreeSet<>();
        for (Entry e : applicable()) {
            if (e.rule() == Rule.VM) continue;
            if (!MODULE_OF.containsKey(e.site())) missing.add("class " + e.site() + " (" + e.kind() + ")");
            if (e.rule() == Rule.THREAD_CLASS) {
                String t = e.target().replace('.', '/');
                if (!MODULE_OF.containsKey(t)) missing.add("thread class " + e.target());
                else assertTrue(Thread.class.isAssignableFrom(Class.forName(e.target(), false, ClassLoader.getPlatformClassLoader())), e.target());
            }
            if (e.rule() == Rule.INSIDE) {
                Set<String> methods = METHODS.get(e.insideClass());
                if (methods == null || e.insideMethods().stream().noneMatch(methods::contains))
                    missing.add("method " + e.target());
            }
        }
        assertEquals(Set.of(), missing, "listed in JdkInfrastructure.TABLE but not in this JDK (" + Runtime.version() + ")");
    }

    @Test
    void everyInsideMethodIsWovenOnceItsClassIsLoaded() throws Exception {
        Weaver w = Installer.weaver;
        Set<String> notWoven = new TreeSet<>();
        for (Entry e : JdkInfrastructure.insideEntries()) {
            Class.forName(e.insideClass().replace('/', '.'), false, null);
            if (!w.woven.contains(e.insideClass())) notWoven.add(e.insideClass());
        }
        assertEquals(Set.of(), notWoven);
        assertEquals(List.of(), w.missing, "expected sites this JDK's classes lack");
    }

    @Test
    void theJdksOwnRunningThreadsAreInfrastructure() {
        // the JDK's threads alive in this JVM (reference handler, finalizer, signal dispatcher, common cleaner, ...)
        Set<String> notRecognised = new TreeSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            String n = t.getName();
            boolean jdk = Set.of("Reference Handler", "Finalizer", "Signal Dispatcher", "Common-Cleaner",
                    "Notification Thread", "Attach Listener").contains(n);
            if (jdk && !io.jcontract.Infrastructure.isInfrastructure(t)) notRecognised.add(n + " " + t.getClass().getName());
        }
        assertEquals(Set.of(), notRecognised);
    }
}
