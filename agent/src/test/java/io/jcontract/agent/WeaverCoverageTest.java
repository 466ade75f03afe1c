package io.jcontract.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

/**
 * Every class in the weaver's plan, once loaded, was woven, and had every
 * method the plan expects: on this JDK nothing is silently left out. (On a
 * JDK whose internals differ, the agent names each missing site at start-up;
 * this test is what turns such a name into a failure here.)
 */
class WeaverCoverageTest {
    @Test
    void everyPlannedClassIsWovenWithEveryExpectedSite() throws Exception {
        Weaver w = Installer.weaver;
        assertNotNull(w, "the agent is installed");
        Set<String> planned = new TreeSet<>(w.sites().classNames());
        // the system loader reaches the boot and platform modules (java.net.http) and adapter-named classes
        for (String internal : planned) Class.forName(internal.replace('/', '.'), true, ClassLoader.getSystemClassLoader());
        Set<String> notWoven = new TreeSet<>(planned);
        notWoven.removeAll(w.woven);
        assertEquals(Set.of(), notWoven, "planned but not woven");
        assertEquals(List.of(), w.missing, "expected sites this JDK's classes lack");
        assertEquals(0, w.errors.get(), "classes that failed to weave");
    }
}
