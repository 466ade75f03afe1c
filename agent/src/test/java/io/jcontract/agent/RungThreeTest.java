package io.jcontract.agent;

import io.jcontract.Contract;
import io.jcontract.ContractTemplate;
import io.jcontract.Contracts;
import io.jcontract.KillReport;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.jcontract.agent.AgentTest.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kill rung 3 without a spin (issue 12 item 3): a killed member that swallows every interrupt in a
 * loop of blocking calls is interrupted again, but at most once per growing interval, so its loop
 * does not turn into a busy spin. The test counts the interrupts the member caught during a one-
 * second grace period (a count, not a timing: a slower machine only makes fewer).
 */
@Timeout(60)
class RungThreeTest {
    /** At most this many re-interrupts in the 1 s grace period (back-off 1, 2, 4, ... ms: about 11). */
    static final int MOST = 40;

    @ParameterizedTest
    @ValueSource(strings = {"sleep", "timed-wait", "join", "timed-poll", "take", "untimed-wait"})
    void aSwallowingMemberIsReinterruptedWithoutSpinning(String how) throws Exception {
        AtomicInteger caught = new AtomicInteger();
        CountDownLatch looping = new CountDownLatch(1);
        Object lock = new Object();
        LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
        Thread forever = new Thread(() -> {
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException ignored) {
            }
        });
        forever.setDaemon(true);
        forever.start();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Contract c;
        try (var a = ContractTemplate.process().activate()) {
            new Thread(() -> {
                looping.countDown();
                while (!stop.get()) {
                    try {
                        switch (how) {
                            case "sleep" -> Thread.sleep(5);
                            case "timed-wait" -> {
                                synchronized (lock) {
                                    lock.wait(5);
                                }
                            }
                            case "join" -> forever.join(5);
                            case "timed-poll" -> queue.poll(5, TimeUnit.MILLISECONDS);
                            case "take" -> queue.take();
                            case "untimed-wait" -> {
                                synchronized (lock) {
                                    lock.wait();
                                }
                            }
                            default -> throw new AssertionError(how);
                        }
                    } catch (InterruptedException swallowed) {
                        caught.incrementAndGet();
                    }
                }
            }, "swallower-" + how).start();
            c = Contracts.latest();
        }
        await(looping);
        KillReport grace = c.kill().awaitEmpty(Duration.ofSeconds(1));
        int during = caught.get();
        assertFalse(grace.empty(), "the swallowing member is still there after the grace period");
        assertTrue(during >= 2, () -> "re-interrupted again after the first: " + during);
        assertTrue(during <= MOST, () -> how + ": " + during + " interrupts in the grace period: a spin");
        stop.set(true);                        // the member sees it after its next re-interrupt
        assertTrue(c.kill().awaitEmpty(Duration.ofSeconds(20)).empty(), "it still gets re-interrupted and ends");
        c.abandon();
        forever.interrupt();
    }
}
