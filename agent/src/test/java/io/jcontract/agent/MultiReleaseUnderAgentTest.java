package io.jcontract.agent;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.reflect.Method;

import org.junit.jupiter.api.Test;

/**
 * The restarter is a multi-release jar (the FFM datagram socket of the systemd
 * notifier is in {@code META-INF/versions/22}). It is application code, kept off
 * the bootstrap path (which does not read multi-release jars): under the agent
 * it comes from the application's loader, and the notifier gets this JDK's
 * socket, not the JDK 21 one that says "needs JDK 22".
 */
class MultiReleaseUnderAgentTest {

    @Test
    void theNotifierUnderTheAgentGetsThisJdksSocket() throws Exception {
        assumeTrue(System.getProperty("os.name", "").startsWith("Linux"), "the FFM socket is Linux's");
        assumeTrue(!"false".equals(System.getProperty("jcontract.test.expectAgent")), "needs the agent");
        Class<?> notifier = Class.forName("io.jcontract.restarter.SystemdNotifier");
        assertNotNull(notifier.getClassLoader(), "the restarter is not on the bootstrap path");
        Method unsupported = notifier.getDeclaredMethod("transportUnsupported");
        unsupported.setAccessible(true);
        Object why = unsupported.invoke(null);
        assertNull(why, () -> "the JDK 21 socket was loaded: " + why);
    }
}
