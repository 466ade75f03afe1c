package io.jcontract.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.reflect.Method;

import org.junit.jupiter.api.Test;

/**
 * Core is a multi-release jar (the FFM datagram socket of the systemd
 * notifier is in {@code META-INF/versions/22}), but under the agent core is
 * loaded from the bootstrap class path, which does not read multi-release
 * jars: the agent must put this JDK's versions in front, or the notifier
 * would say "needs JDK 22" on JDK 25.
 */
class MultiReleaseUnderAgentTest {

    @Test
    void theBootstrapCopyOfCoreHasThisJdksVersionOfItsClasses() throws Exception {
        assumeTrue(System.getProperty("os.name", "").startsWith("Linux"), "the FFM socket is Linux's");
        assumeTrue(!"false".equals(System.getProperty("jcontract.test.expectAgent")), "needs the agent");
        Class<?> c = Class.forName("io.jcontract.restarter.UnixDatagram", false, null);
        assertEquals(null, c.getClassLoader(), "core is on the bootstrap path");
        Method unsupported = c.getDeclaredMethod("unsupported");
        unsupported.setAccessible(true);
        Object why = unsupported.invoke(null);
        assertNull(why, () -> "the JDK 21 version was loaded: " + why);
        assertTrue(Runtime.version().feature() >= 22);
    }

    @Test
    void multiReleaseEntriesCountAsBootEntriesUnderTheirPlainNames() {
        assertTrue(JContractAgent.isBoot("META-INF/versions/22/io/jcontract/restarter/UnixDatagram.class"));
        assertTrue(!JContractAgent.isBoot("META-INF/versions/22/io/jcontract/probes/HealthEndpoint.class"));
        assertTrue(!JContractAgent.isBoot("META-INF/versions/22/module-info.class"));
    }
}
