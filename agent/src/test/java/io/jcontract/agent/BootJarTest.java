package io.jcontract.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.junit.jupiter.api.Test;

/**
 * The boot jar (META-INF/jcontract/boot.jar of the agent jar, what the agent puts where woven JDK
 * code can reach it) holds only that: the bridge, core's API and kernel, and the few JCTools
 * classes core's one queue needs, and management (JMX loads the MBeanServerBuilder the agent names
 * from the bootstrap loader when the creating thread has no context loader). Not the restarter or
 * its MXBean, the probes, the Micrometer binder, the examples, nor the rest of JCTools (about 350
 * classes before it was minimised).
 */
class BootJarTest {
    @Test
    void theBootJarHoldsOnlyWhatWovenJdkCodeReaches() throws Exception {
        String jar = System.getProperty("jcontract.test.agentJar");
        assumeTrue(jar != null, "jcontract.test.agentJar is not set: not the agent-tests execution");
        List<String> classes = new ArrayList<>();
        try (JarFile agent = new JarFile(Path.of(jar).toFile())) {
            ZipEntry boot = agent.getEntry("META-INF/jcontract/boot.jar");
            assertNotNull(boot, "the agent jar stores the boot jar");
            try (InputStream in = agent.getInputStream(boot); ZipInputStream zip = new ZipInputStream(in)) {
                for (ZipEntry e; (e = zip.getNextEntry()) != null; )
                    if (e.getName().endsWith(".class")) classes.add(e.getName());
            }
        }
        List<String> outside = classes.stream().filter(c -> !(c.startsWith("io/jcontract/agent/boot/")
                || c.startsWith("io/jcontract/agent/shaded/jctools/")
                || c.startsWith("io/jcontract/internal/")
                || c.startsWith("io/jcontract/management/") && !c.startsWith("io/jcontract/management/Restarter")
                || c.startsWith("io/jcontract/") && c.indexOf('/', "io/jcontract/".length()) < 0)).toList();
        assertEquals(List.of(), outside, "classes in the boot jar that woven JDK code does not reach");
        long jctools = classes.stream().filter(c -> c.startsWith("io/jcontract/agent/shaded/jctools/")).count();
        assertTrue(jctools > 0, "core's queue is there");
        assertTrue(jctools <= 40, () -> "JCTools minimised to what core's queue needs, not " + jctools + " classes");
        assertTrue(classes.contains("io/jcontract/internal/ContractTable.class"), "the kernel is there");
        assertTrue(classes.contains("io/jcontract/agent/boot/Bridge.class"), "the bridge is there");
    }
}
