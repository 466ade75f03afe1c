package io.jcontract.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.reflect.Method;

import org.junit.jupiter.api.Test;

/**
 * Core is a multi-release jar (the FFM datagram socket of the systemd
 * notifier is in {@code META-INF/versions/22}), but under the agent core is
 * loaded from the bootstrap class path, which does not read multi-release
 * jars: the notifier must still get this JDK's socket, or it would say
 * "needs JDK 22" on JDK 25.
 */
class MultiReleaseUnderAgentTest {

    @Test
    void theNotifierUnderTheAgentGetsThisJdksSocket() throws Exception {
        assumeTrue(System.getProperty("os.name", "").startsWith("Linux"), "the FFM socket is Linux's");
        assumeTrue(!"false".equals(System.getProperty("jcontract.test.expectAgent")), "needs the agent");
        Class<?> notifier = Class.forName("io.jcontract.restarter.SystemdNotifier", false, null);
        assertNotNull(notifier);
        assertEquals(null, notifier.getClassLoader(), "core is on the bootstrap path");
        Method unsupported = notifier.getDeclaredMethod("transportUnsupported");
        unsupported.setAccessible(true);
        Object why = unsupported.invoke(null);
        assertNull(why, () -> "the JDK 21 socket was loaded: " + why);
    }
}
