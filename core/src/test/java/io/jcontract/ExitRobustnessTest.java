package io.jcontract;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.*;

/** Issue 14, defect 5: whatever goes wrong while a member dies, it leaves its contract. */
@Timeout(60)
class ExitRobustnessTest {
    private final TestSupport ts = new TestSupport();

    @AfterEach
    void cleanUp() {
        ts.close();
    }

    /**
     * A CORE with CORE fatal kills the contract, and the kill closes its resources; one whose
     * close() throws an Error used to escape the death's handling, so the dying member never left
     * and the contract never emptied. Every other resource is still closed.
     */
    @Test
    void anErrorFromAResourceClosedByAFatalKillStillLetsTheDyingMemberLeave() throws Exception {
        CountDownLatch go = ts.gate();
        var c = ts.create(ContractTemplate.process().fatal(EventType.CORE), () -> {
            TestSupport.park(go);
            throw new IllegalStateException("the member's own failure");
        });
        CountDownLatch secondClosed = new CountDownLatch(1);
        c.contract().register(() -> {
            throw new AssertionError("close failed");
        });
        c.contract().register(secondClosed::countDown);
        go.countDown();
        assertTrue(c.member().join(Duration.ofSeconds(30)), "the member's thread did not end");
        KillReport r = c.contract().kill().awaitEmpty(Duration.ofSeconds(30));
        assertTrue(r.empty(), "the dying member never left its contract: " + r);
        // rung 4 closes resources off the dying member's thread, each under its own bound
        assertTrue(secondClosed.await(30, java.util.concurrent.TimeUnit.SECONDS),
                "the kill stopped at the first resource that failed to close");
    }
}
