package io.jcontract;

import static io.jcontract.EventType.CORE;
import static io.jcontract.EventType.EMPTY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The post-mortem file of a CORE event: the throwable and every running member's stack (issue 4). */
@Timeout(10)
class PostMortemTest {
    private static final String DIR = "jcontract.postmortem.dir";
    private final TestSupport ts = new TestSupport();

    @AfterEach
    void cleanUp() {
        System.clearProperty(DIR);
        ts.close();
    }

    /** A crash whose contract has one sibling parked in {@link #siblingWaitsHere}. */
    private ContractEvent.Core crashWithASibling() {
        CountDownLatch up = new CountDownLatch(1), release = ts.gate();
        try (EventListener owner = Contracts.ownerEvents()) {
            var c = ts.create(ContractTemplate.process().informative(CORE), () -> {
                Thread sibling = ts.startChild(() -> siblingWaitsHere(up, release));
                sibling.setName("pm-sibling");
                TestSupport.await(up);
                throw new IllegalStateException("boom-pm");
            });
            ContractEvent.Core core = TestSupport.first(owner, c.id(), ContractEvent.Core.class);
            release.countDown();
            TestSupport.until(owner, c.id(), EMPTY);
            return core;
        }
    }

    private static void siblingWaitsHere(CountDownLatch up, CountDownLatch release) {
        up.countDown();
        TestSupport.park(release);
    }

    @Test
    void withTheDirectorySetTheCoreEventNamesAFileWithTheCauseAndEveryMembersStack(@TempDir Path dir)
            throws Exception {
        System.setProperty(DIR, dir.toString());
        ContractEvent.Core core = crashWithASibling();
        Path file = core.postMortem();
        assertNotNull(file, "the event carries the file's path");
        assertEquals(dir, file.getParent());
        String text = Files.readString(file);
        assertTrue(text.contains("contract " + core.contractId() + ", member " + core.member()), text);
        assertTrue(text.contains("IllegalStateException: boom-pm"), text);
        assertTrue(text.contains("thread \"pm-sibling\""), text);
        assertTrue(text.contains("siblingWaitsHere"), "the sibling's stack: " + text);
        assertTrue(text.contains("members still running: 2"), text);
    }

    @Test
    void withoutTheDirectoryThereIsNoFile() {
        assertNull(crashWithASibling().postMortem());
    }

    @Test
    void anUnwritableDirectoryCostsThePathNeverTheEvent(@TempDir Path dir) throws Exception {
        Path notADir = Files.writeString(dir.resolve("plain-file"), "x");
        System.setProperty(DIR, notADir.toString());
        ContractEvent.Core core = crashWithASibling();
        assertNull(core.postMortem(), "no path, but the CORE event itself was published");
    }
}
