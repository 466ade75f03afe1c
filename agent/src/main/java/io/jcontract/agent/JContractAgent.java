package io.jcontract.agent;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;

/**
 * The agent's entry points. By default the woven JDK code reaches the bridge
 * through {@link LookupBridge}: one generated class in {@code java.base}, with
 * the bridge, the core and JCTools loaded once from this jar by the
 * application class loader, so class-data sharing keeps working. With
 * {@code loader=boot}, before anything touches a jcontract class, those
 * classes are copied out of this jar into a temporary jar appended to the
 * bootstrap class path instead, so that exactly one contract table exists
 * whatever loader the application uses (application loaders delegate
 * parent-first, so a jcontract-core on the class path resolves to the
 * bootstrap copy too), at the price of sharing for the application's
 * loaders. Then the installer, which weaves with the ASM that byte-buddy
 * repackages, from this jar's own loader, is called.
 */
public final class JContractAgent {
    private static volatile boolean installed;
    /**
     * Set once the agent is installed in this JVM, to the loading path ({@code lookup} or {@code boot}):
     * how tools and programs tell, whichever loader holds the bridge.
     */
    public static final String INSTALLED_PROPERTY = "jcontract.agent.installed";

    private JContractAgent() {
    }

    /**
     * Whether installing with {@code args} would append to the bootstrap class
     * path (the {@code boot} loader, asked for or forced because another jar
     * holds the core first), which makes a JVM with class data sharing warn.
     */
    public static boolean appendsToBootPath(String args) {
        return !LookupBridge.chosen(args);
    }

    public static void premain(String args, Instrumentation inst) throws Exception {
        start(args, inst, false);
    }

    public static void agentmain(String args, Instrumentation inst) throws Exception {
        // the tools' channel (ctstat, ctwatch): opened by a later load of this jar, never installs the agent
        if (io.jcontract.agent.cli.ControlServer.AGENT_ARG.equals(args)) {
            io.jcontract.agent.cli.ControlServer.start();
            return;
        }
        start(args, inst, true);
    }

    private static synchronized void start(String args, Instrumentation inst, boolean running) throws Exception {
        if (installed) return;
        installed = true;
        long t0 = System.nanoTime();
        boolean lookup = LookupBridge.chosen(args);
        args = LookupBridge.withoutLoaderToken(args);      // the rest is Config's
        // the lookup bridge: core and bridge stay in this jar's loader; see LookupBridge
        if (!lookup) inst.appendToBootstrapClassLoaderSearch(new JarFile(bootJar()));
        Installer.install(args, inst, t0, lookup);
        System.setProperty(INSTALLED_PROPERTY, lookup ? "lookup" : "boot");
        // The MXBean the ctstat/ctwatch commands read: registered when the platform MBean server is made
        // (the builder must then be on the bootstrap path), else when a tool first connects.
        if (lookup) io.jcontract.management.PlatformRegistration.installOnFirstUse();
        else io.jcontract.management.PlatformRegistration.install(running);
    }

    /**
     * Writes the bootstrap part of this jar (bridge, core, JCTools) to a temporary jar: the build
     * stores it ready-made as {@code META-INF/jcontract/boot.jar}; failing that (a jar built
     * otherwise), its entries are picked out of this jar.
     */
    private static File bootJar() throws IOException {
        // Not Files.createTempFile: its SecureRandom names cost start-up a security provider's worth of classes.
        Path out = Path.of(System.getProperty("java.io.tmpdir"),
                "jcontract-boot-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + ".jar");
        Files.newOutputStream(out, StandardOpenOption.CREATE_NEW).close();
        out.toFile().deleteOnExit();
        try (InputStream in = JContractAgent.class.getResourceAsStream("/META-INF/jcontract/boot.jar")) {
            if (in != null) {
                try (OutputStream os = Files.newOutputStream(out)) {
                    copy(in, os, new byte[64 * 1024]);
                }
                return out.toFile();
            }
        }
        Path self;
        try {
            self = Path.of(JContractAgent.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (Exception e) {
            throw new IOException("cannot locate the jcontract agent jar", e);
        }
        try (JarFile jar = new JarFile(self.toFile());
             JarOutputStream jos = new JarOutputStream(Files.newOutputStream(out))) {
            byte[] buf = new byte[8192];
            for (Enumeration<JarEntry> en = jar.entries(); en.hasMoreElements(); ) {
                JarEntry e = en.nextElement();
                if (e.isDirectory() || !isBoot(e.getName())) continue;
                jos.putNextEntry(new JarEntry(e.getName()));
                try (InputStream in = jar.getInputStream(e)) {
                    copy(in, jos, buf);
                }
                jos.closeEntry();
            }
        }
        return out.toFile();
    }

    static boolean isBoot(String name) {
        if (!name.endsWith(".class")) return false;
        if (name.startsWith("io/jcontract/agent/")) {
            return name.startsWith("io/jcontract/agent/boot/") || name.startsWith("io/jcontract/agent/shaded/jctools/");
        }
        // Of core, only what woven JDK code reaches: the API (io/jcontract/*.class), the kernel, and management
        // (JMX may load its MBeanServerBuilder from the bootstrap loader). Keep in step with agent/pom.xml.
        if (name.startsWith("io/jcontract/internal/") || name.startsWith("io/jcontract/management/")) return true;
        return name.startsWith("io/jcontract/") && name.indexOf('/', "io/jcontract/".length()) < 0;
    }

    private static void copy(InputStream in, OutputStream out, byte[] buf) throws IOException {
        for (int n; (n = in.read(buf)) > 0; ) out.write(buf, 0, n);
    }
}
