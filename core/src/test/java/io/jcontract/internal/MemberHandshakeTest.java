package io.jcontract.internal;

import io.jcontract.ContractTemplate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.reflect.Field;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The kill/unbind handshake of {@link Member} (issue 14; the jcstress gate saw
 * {@code AgentTaskEndVsKillTest}'s FORBIDDEN "the kill's interrupt leaked into the worker after the
 * task" once in ~440k samples). With lock-free fork and exit a kill's walk can find a pooled task
 * RUNNING before its worker has bound it. The kill's {@code interruptIfRunning} then claims the
 * handshake (FREE to INTERRUPTING) and reads the runner the worker has just written, and the
 * worker's bind used to write FREE over that claim: its unbind then did not wait for the kill's
 * interrupt, the worker cleared its flag, and the interrupt landed on the worker's next task.
 * This test stands in for the kill at exactly that point.
 */
@Timeout(60)
class MemberHandshakeTest {
    private static final int INTERRUPTING = 1;

    @Test
    void aWorkersBindDoesNotEraseAKillThatIsInterruptingIt() throws Exception {
        Member m;
        try (var a = ContractTemplate.process().activate()) {
            m = Lifecycle.forkTask();
        }
        ContractImpl c = m.contract;
        Field handshake = Member.class.getDeclaredField("handshake");
        handshake.setAccessible(true);
        try {
            handshake.setInt(m, INTERRUPTING);          // a kill between its claim and its interrupt
            assertTrue(c.startPending(m, Thread.currentThread()));
            assertEquals(INTERRUPTING, handshake.getInt(m),
                    "the worker's bind erased the kill's claim: its unbind would not wait for the interrupt");
        } finally {
            handshake.setInt(m, 0);                      // the kill's interrupt is over
            m.unbindRunner();
            c.exit(m, 0, null);
            c.succession.abandonAsSystem();
        }
    }
}
