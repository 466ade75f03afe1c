package io.jcontract.jetty;

import io.jcontract.testkit.ModulePath;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The adapter on the module path, as a modular application sees it: the application requires
 * {@code io.jcontract} and its own server library, not the adapter, and puts this jar beside them. Resolution binds the adapter's
 * module (core {@code uses} the SPI, this module {@code provides} it), and {@code ServiceLoader}
 * finds the adapter in that layer.
 */
class JettyModuleTest {

    @Test
    void anApplicationThatDoesNotRequireTheAdapterGetsItOnTheModulePath() throws Exception {
        ModuleLayer layer = ModulePath.layer(Set.of("io.jcontract", "org.eclipse.jetty.util"), "jcontract-core", "jctools-core", "jetty-util", "slf4j-api");
        assertTrue(layer.findModule("io.jcontract.jetty").isPresent(),
                "io.jcontract.jetty was not bound: core does not declare 'uses io.jcontract.LifecycleAdapter'");
        List<String> found = ModulePath.providers(layer, "io.jcontract", "io.jcontract.LifecycleAdapter");
        assertEquals(List.of(JettyLifecycleAdapter.class.getName()), found);
    }
}
