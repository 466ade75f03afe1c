package io.jcontract.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;

import org.junit.jupiter.api.Test;

/** The agent argument: paths, verbosity, the post-mortem directory, and what it refuses. */
class ConfigTest {
    private static final String PM = "jcontract.postmortem.dir";

    @Test
    void pathsAreAllByDefaultAndMinusRemovesOne() {
        assertEquals(EnumSet.allOf(Config.Path.class), Config.parse("").paths);
        Config c = Config.parse("-timer, -Blocking");
        assertEquals(EnumSet.complementOf(EnumSet.of(Config.Path.TIMER, Config.Path.BLOCKING)), c.paths);
        assertEquals(EnumSet.of(Config.Path.THREADS), Config.parse("threads").paths);
        assertTrue(Config.parse("threads,verbose").verbose);
    }

    @Test
    void theLookupBridgeIsTheDefaultLoaderBootIsAskedForAndAnUnknownLoaderIsRefusedByName() {
        String before = System.getProperty("jcontract.agent.loader");
        try {
            System.clearProperty("jcontract.agent.loader");
            assertTrue(LookupBridge.requested(null));
            assertTrue(LookupBridge.requested("verbose"));
            assertTrue(LookupBridge.requested("loader=lookup"));
            assertEquals(false, LookupBridge.requested("threads, loader=BOOT"));
            System.setProperty("jcontract.agent.loader", "boot");
            assertEquals(false, LookupBridge.requested(""));
            assertTrue(LookupBridge.requested("loader=lookup"), "the agent argument wins over the property");
            var e = assertThrows(IllegalArgumentException.class, () -> LookupBridge.requested("loader=bootstrap"));
            assertTrue(e.getMessage().contains("'bootstrap'") && e.getMessage().contains("boot"), e.getMessage());
            assertEquals("threads", LookupBridge.withoutLoaderToken("loader=boot,threads"));
        } finally {
            if (before == null) System.clearProperty("jcontract.agent.loader");
            else System.setProperty("jcontract.agent.loader", before);
        }
    }

    @Test
    void postmortemSetsTheDirectoryKeepingItsCaseUnlessTheCommandLineDid() {
        String before = System.getProperty(PM);
        try {
            System.clearProperty(PM);
            Config.parse("threads,postmortem=/tmp/Post Mortems");
            assertEquals("/tmp/Post Mortems", System.getProperty(PM));
            System.setProperty(PM, "/from/the/command/line");
            Config.parse("postmortem=/elsewhere");
            assertEquals("/from/the/command/line", System.getProperty(PM));
        } finally {
            if (before == null) System.clearProperty(PM);
            else System.setProperty(PM, before);
        }
    }

    @Test
    void badTokensAreRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Config.parse("threads,sockets"));
        assertTrue(e.getMessage().contains("'sockets'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Config.parse("postmortem="));
        assertTrue(e.getMessage().contains("postmortem"), e.getMessage());
    }
}
