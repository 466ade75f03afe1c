package io.jcontract.agent;

import io.jcontract.Contract;
import io.jcontract.ContractEvent;
import io.jcontract.ContractTemplate;
import io.jcontract.Contracts;
import io.jcontract.EventListener;
import io.jcontract.EventType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

/**
 * SIGNAL under the agent (issue 14's coverage gaps): an interrupt from outside the contract that
 * a member dies of is SIGNAL, naming the sender and its contract; one from the holder or from a
 * member of the same contract is not (the death is a CORE); SIGNAL in the fatal set kills the rest
 * of the contract.
 */
@Timeout(60)
class SignalTest {
    static final Duration WAIT = Duration.ofSeconds(20);
    /** Fresh terms each time: a template is mutable. */
    static ContractTemplate terms() {
        return ContractTemplate.process().critical(EventType.EMPTY, EventType.SIGNAL, EventType.CORE);
    }

    /** A member body that sleeps until interrupted and then dies of it. */
    private static Runnable diesWhenInterrupted(CountDownLatch sleeping, AtomicReference<Thread> self) {
        return () -> {
            self.set(Thread.currentThread());
            sleeping.countDown();
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                throw new IllegalStateException("interrupted", e);
            }
        };
    }

    private static void await(CountDownLatch l) throws InterruptedException {
        assertTrue(l.await(WAIT.toSeconds(), TimeUnit.SECONDS), "timed out");
    }

    /** Starts {@code body} as the first member of a new contract held by the calling thread. */
    private static Contract contract(ContractTemplate terms, Runnable body) {
        try (var a = terms.activate()) {
            new Thread(body).start();
            return Contracts.latest();
        }
    }

    @Test
    void anInterruptFromTheHolderIsNotASignal() throws Exception {
        CountDownLatch sleeping = new CountDownLatch(1);
        AtomicReference<Thread> member = new AtomicReference<>();
        CountDownLatch go = new CountDownLatch(1);
        Contract c = contract(terms(), () -> {
            try {
                go.await();
            } catch (InterruptedException e) {
                return;
            }
            diesWhenInterrupted(sleeping, member).run();
        });
        try (EventListener events = c.events()) {
            go.countDown();
            await(sleeping);
            member.get().interrupt();            // the test thread holds c
            assertInstanceOf(ContractEvent.Core.class, events.takeCritical(WAIT), "a holder's interrupt is no SIGNAL");
        } finally {
            c.abandon();
        }
    }

    @Test
    void anInterruptFromAMemberOfTheSameContractIsNotASignal() throws Exception {
        CountDownLatch sleeping = new CountDownLatch(1), go = new CountDownLatch(1), done = new CountDownLatch(1);
        AtomicReference<Thread> member = new AtomicReference<>();
        Contract c = contract(terms(), () -> {
            try {
                go.await();
                Thread victim = new Thread(diesWhenInterrupted(sleeping, member));
                victim.start();
                sleeping.await();
                victim.interrupt();              // a member interrupts a member of its own contract
                victim.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                done.countDown();
            }
        });
        try (EventListener events = c.events()) {
            go.countDown();
            await(done);
            assertInstanceOf(ContractEvent.Core.class, events.takeCritical(WAIT),
                    "an interrupt from inside the contract is no SIGNAL");
        } finally {
            c.abandon();
        }
    }

    @Test
    void anInterruptFromAnotherContractIsASignalNamingItsSenderAndItsContract() throws Exception {
        CountDownLatch sleeping = new CountDownLatch(1), go = new CountDownLatch(1);
        AtomicReference<Thread> member = new AtomicReference<>();
        Contract c = contract(terms(), () -> {
            try {
                go.await();
            } catch (InterruptedException e) {
                return;
            }
            diesWhenInterrupted(sleeping, member).run();
        });
        AtomicReference<Thread> sender = new AtomicReference<>();
        CountDownLatch sent = new CountDownLatch(1);
        Contract other = contract(ContractTemplate.process(), () -> {
            try {
                sleeping.await();
            } catch (InterruptedException e) {
                return;
            }
            sender.set(Thread.currentThread());
            member.get().interrupt();
            sent.countDown();
        });
        try (EventListener events = c.events()) {
            go.countDown();
            await(sent);
            var s = assertInstanceOf(ContractEvent.Signal.class, events.takeCritical(WAIT));
            assertEquals(sender.get().threadId(), s.sender());
            assertEquals(other.id(), s.senderContract(), "the sender's contract");
            assertInstanceOf(IllegalStateException.class, s.cause());
        } finally {
            c.abandon();
            other.abandon();
        }
    }

    /** The privilege-limited SIGNAL kill: a member that dies of an outside interrupt takes the others with it. */
    @Test
    void signalInTheFatalSetKillsTheRestOfTheContract() throws Exception {
        CountDownLatch sleeping = new CountDownLatch(1), go = new CountDownLatch(1), siblingUp = new CountDownLatch(1);
        AtomicReference<Thread> member = new AtomicReference<>();
        AtomicReference<Boolean> siblingInterrupted = new AtomicReference<>(false);
        Contract c = contract(terms().fatal(EventType.SIGNAL), () -> {
            try {
                go.await();
            } catch (InterruptedException e) {
                return;
            }
            new Thread(() -> {
                siblingUp.countDown();
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException killed) {
                    siblingInterrupted.set(true);
                }
            }).start();
            diesWhenInterrupted(sleeping, member).run();
        });
        try (EventListener events = c.events()) {
            go.countDown();
            await(sleeping);
            await(siblingUp);
            Thread outsider = new Thread(() -> member.get().interrupt());    // a member of the root contract
            outsider.start();
            outsider.join();
            var s = assertInstanceOf(ContractEvent.Signal.class, events.takeCritical(WAIT));
            assertEquals(outsider.threadId(), s.sender());
            assertEquals(1, s.senderContract(), "the outsider is in the root contract");
            assertInstanceOf(ContractEvent.Empty.class, events.takeCritical(WAIT), "the fatal SIGNAL emptied the contract");
            assertTrue(siblingInterrupted.get(), "the sibling was killed");
        } finally {
            c.abandon();
        }
    }
}
