package io.jcontract.agent;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jcontract.Contracts;
import io.jcontract.metrics.ContractMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.junit.jupiter.api.Test;

/**
 * Under the agent, core sits on the bootstrap path, where Micrometer (an
 * application library) is invisible: the binder must come from the
 * application's loader and still read the one contract table.
 */
class MetricsUnderAgentTest {
    @Test
    void theBinderLoadsFromTheApplicationAndSeesTheBootstrapTable() throws Exception {
        assertSame(AgentMode.coreLoader(), Contracts.class.getClassLoader(), "core is where the agent put it");
        assertNotNull(ContractMetrics.class.getClassLoader(), "the binder is not on the bootstrap path");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new ContractMetrics().bindTo(registry);
        assertTrue(registry.getMeters().size() > 0, "meters bound");
        assertSame(Contracts.class, Class.forName("io.jcontract.Contracts", false, ContractMetrics.class.getClassLoader()),
                "one table: the binder resolves core to the agent's copy");
    }
}
