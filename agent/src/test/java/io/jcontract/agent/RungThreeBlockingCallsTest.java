package io.jcontract.agent;

import io.jcontract.Contract;
import io.jcontract.ContractTemplate;
import io.jcontract.Contracts;
import io.jcontract.KillReport;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.Pipe;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Kill rung 3 under the agent (issue 14's coverage gap): a killed member that swallowed the
 * kill's interrupt is interrupted again when it next blocks, in {@code Object.wait},
 * {@code Thread.join} and {@code LockSupport.park}, not only in {@code sleep}, and in blocking
 * I/O: a virtual thread's channel read.
 */
@Timeout(60)
class RungThreeBlockingCallsTest {
    static final Duration WAIT = Duration.ofSeconds(20);

    interface Blocking {
        /** Blocks until interrupted; returns or throws what ended it. */
        Object block() throws Exception;
    }

    static Stream<Arguments> blockingCalls() {
        return Stream.of(
                Arguments.of("Object.wait", (Blocking) () -> {
                    Object lock = new Object();
                    synchronized (lock) {
                        // a loop, as wait must be called: a virtual thread's wait may wake spuriously
                        // when the re-interrupter's interrupt meets it on its way into the wait
                        for (;;) lock.wait();
                    }
                }),
                Arguments.of("Thread.join", (Blocking) () -> {
                    Thread.currentThread().join();          // never ends by itself
                    return "returned";
                }),
                Arguments.of("LockSupport.park", (Blocking) () -> {
                    while (!Thread.currentThread().isInterrupted()) LockSupport.park();
                    return "interrupted in park";
                }));
    }

    /**
     * The JDK starts its virtual-thread pollers the first time a virtual thread's I/O would block,
     * on that thread; from a killed member the agent refuses that start and NIO breaks for the
     * whole JVM (issue 12's "JDK infrastructure is never inside", branch infra). Here the pollers
     * start from a root thread first, so the test sees rung 3 alone.
     */
    private static void warmUpVirtualThreadPollers() {
        try {
            Pipe warm = Pipe.open();
            Thread reader = Thread.ofVirtual().start(() -> {
                try {
                    warm.source().read(ByteBuffer.allocate(1));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            while (reader.getState() != Thread.State.WAITING && reader.isAlive()) Thread.onSpinWait();
            warm.sink().write(ByteBuffer.wrap(new byte[] {1}));
            assertTrue(reader.join(WAIT));
            warm.sink().close();
            warm.source().close();
        } catch (java.io.IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * A virtual thread's channel read parks in NIO's poller. The parking hook used to re-interrupt
     * the killed member itself, and a self-interrupt does not run the channel's interruptor, so the
     * park returned at once and the read looped (the contract never emptied). The re-interrupter
     * now delivers a virtual thread's interrupt from outside it, and the read ends in
     * {@code ClosedByInterruptException}.
     */
    @org.junit.jupiter.api.Test
    void aKilledMemberThatSwallowedTheInterruptIsInterruptedAgainInABlockingChannelRead() throws Exception {
        Pipe p = Pipe.open();       // opened here: NIO's classes initialise outside the killed member
        warmUpVirtualThreadPollers();
        killAfterSwallowing("channel read", (Blocking) () -> {
            try {
                return p.source().read(ByteBuffer.allocate(1));     // nothing is ever written
            } finally {
                p.sink().close();
                p.source().close();
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("blockingCalls")
    void aKilledMemberThatSwallowedTheInterruptIsInterruptedAgainWhenItBlocks(String name, Blocking call)
            throws Exception {
        killAfterSwallowing(name, call);
    }

    private static void killAfterSwallowing(String name, Blocking call) throws Exception {
        CountDownLatch sleeping = new CountDownLatch(1);
        AtomicReference<Object> ended = new AtomicReference<>();
        Contract c;
        try (var a = ContractTemplate.process().activate()) {
            Thread.ofVirtual().start(() -> {
                sleeping.countDown();
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException swallowed) {
                    // rung 1, ignored on purpose
                }
                try {
                    ended.set(call.block());
                } catch (Throwable t) {
                    ended.set(t);
                }
            });
            c = Contracts.latest();
        }
        try {
            assertTrue(sleeping.await(WAIT.toSeconds(), TimeUnit.SECONDS));
            KillReport r = c.kill().awaitEmpty(WAIT);
            assertTrue(r.empty(), name + " was not interrupted again: " + r);
            Object how = ended.get();
            assertTrue(how instanceof InterruptedException || how instanceof ClosedByInterruptException
                    || "interrupted in park".equals(how), name + " ended by " + how
                    + (how instanceof Throwable t && t.getCause() != null ? " caused by " + t.getCause() + " at " + java.util.Arrays.toString(t.getCause().getStackTrace()) : ""));
        } finally {
            c.abandon();
        }
    }
}
