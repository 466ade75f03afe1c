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

    /**
     * Kill rung 3's re-interrupt met another interrupt in flight (the kill's own rung-1 interrupt,
     * whose {@code Thread.interrupt()} had not returned yet) and skipped, as a second kill does. But
     * that interrupt had already been swallowed: the member had caught it and gone on to block, the
     * blocking hook's re-interrupt was the one meant to end that block, and nothing came after it.
     * Seen as {@code RungThreeBlockingCallsTest}'s Object.wait case hanging for its 20 s now and then.
     */
    /** A pending task member, the first of a contract of its own. */
    private static Member pendingTaskOfANewContract() {
        try (var a = ContractTemplate.process().activate()) {
            return Lifecycle.forkTask();
        }
    }

    private static Field handshakeField() throws NoSuchFieldException {
        Field handshake = Member.class.getDeclaredField("handshake");
        handshake.setAccessible(true);
        return handshake;
    }

    @Test
    void aReinterruptWaitsOutAnInterruptInFlightInsteadOfSkipping() throws Exception {
        Member m = pendingTaskOfANewContract();
        ContractImpl c = m.contract;
        Field handshake = handshakeField();
        java.util.concurrent.CountDownLatch bound = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch interrupted = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        Thread worker = new Thread(() -> {
            assertTrue(c.startPending(m, Thread.currentThread()));
            bound.countDown();
            for (;;) {
                try {
                    done.await();
                    return;
                } catch (InterruptedException e) {
                    interrupted.countDown();        // swallowed, as the member in the bug did
                }
            }
        }, "worker");
        worker.start();
        try {
            assertTrue(bound.await(20, java.util.concurrent.TimeUnit.SECONDS));
            m.killed = true;
            handshake.setInt(m, INTERRUPTING);          // another interrupt of m is in flight
            Thread reinterrupter = new Thread(() -> Lifecycle.reinterrupt(m), "reinterrupter");
            reinterrupter.start();
            reinterrupter.join(300);                    // a skip returns at once; a wait spins until FREE
            handshake.setInt(m, 0);                      // the other interrupt is over
            assertTrue(interrupted.await(20, java.util.concurrent.TimeUnit.SECONDS),
                    "the re-interrupt was skipped because another interrupt was in flight");
            reinterrupter.join();
        } finally {
            handshake.setInt(m, 0);
            done.countDown();
            worker.join();
            m.unbindRunner();
            c.exit(m, 0, null);
            c.succession.abandonAsSystem();
        }
    }

    @Test
    void aWorkersBindDoesNotEraseAKillThatIsInterruptingIt() throws Exception {
        Member m = pendingTaskOfANewContract();
        ContractImpl c = m.contract;
        Field handshake = handshakeField();
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
