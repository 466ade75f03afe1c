package io.jcontract.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jcontract.Contracts;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;

import org.junit.jupiter.api.Test;

/**
 * The core jar holds the kernel, the public API and management's facade, and none of the modules
 * split off it: no example, restarter, probe or Micrometer class (nor any reference to Micrometer).
 * Checked here, on the packaged jar the reactor puts on this module's class path, because core's
 * own tests run before its jar exists.
 */
class CoreJarContentsTest {
    @Test
    void theCoreJarHasNoExampleRestarterOrMicrometerClasses() throws Exception {
        Path core = Path.of(Contracts.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assumeTrue(Files.isRegularFile(core), () -> "core is not a jar here (" + core + "): run with verify");
        try (JarFile jar = new JarFile(core.toFile())) {
            List<String> entries = jar.stream().map(e -> e.getName()).toList();
            assertTrue(entries.contains("io/jcontract/internal/ContractTable.class"), () -> "not core's jar: " + core);
            List<String> foreign = entries.stream().filter(n -> n.startsWith("io/jcontract/example/")
                    || n.startsWith("io/jcontract/restarter/") || n.startsWith("io/jcontract/probes/")
                    || n.startsWith("io/jcontract/metrics/") || n.startsWith("io/micrometer/")
                    || n.startsWith("io/jcontract/management/Restarter") || n.startsWith("META-INF/versions/")).toList();
            assertEquals(List.of(), foreign, "classes of other modules in " + core);
            for (String n : entries) {
                if (!n.endsWith(".class")) continue;
                String bytes = new String(jar.getInputStream(jar.getEntry(n)).readAllBytes(), StandardCharsets.ISO_8859_1);
                assertTrue(!bytes.contains("io/micrometer/") && !bytes.contains("io/jcontract/restarter/")
                        && !bytes.contains("io/jcontract/example/"), () -> n + " refers to another module's classes");
            }
        }
    }
}
