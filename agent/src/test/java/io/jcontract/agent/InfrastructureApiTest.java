package io.jcontract.agent;

import io.jcontract.Contract;
import io.jcontract.ContractTemplate;
import io.jcontract.Contracts;
import io.jcontract.Infrastructure;
import io.jcontract.InvalidArgumentException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static io.jcontract.agent.AgentTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Infrastructure}'s API under the agent: what a library or its lifecycle adapter can declare. */
@Timeout(30)
class InfrastructureApiTest {

    /** Starts {@code body} as a member of a new contract and waits for it; returns the contract's id. */
    static int inMember(Runnable body) throws InterruptedException {
        Thread t;
        Contract c;
        try (var a = ContractTemplate.process().activate()) {
            t = new Thread(body);
            t.start();
            c = Contracts.latest();
        }
        t.join();
        int id = c.view().id();
        c.abandon();
        return id;
    }

    @Test
    void aDeclaredThreadStartedByAMemberIsNoMember() throws Exception {
        AtomicInteger seenIn = new AtomicInteger(-1);
        CountDownLatch ran = new CountDownLatch(1);
        Thread singleton = new Thread(() -> {
            seenIn.set(Contracts.current().id());
            ran.countDown();
        }, "library-singleton");
        Infrastructure.declare(singleton);
        assertTrue(Infrastructure.isInfrastructure(singleton));
        int member = inMember(singleton::start);
        await(ran);
        assertNotEquals(member, seenIn.get(), "the declared thread ran as a member of its starter's contract");
    }

    @Test
    void threadsStartedInsideRunAreNoForks() throws Exception {
        AtomicInteger seenIn = new AtomicInteger(-1);
        CountDownLatch ran = new CountDownLatch(1);
        int member = inMember(() -> Infrastructure.run(() -> new Thread(() -> {
            seenIn.set(Contracts.current().id());
            ran.countDown();
        }).start()));
        await(ran);
        assertNotEquals(member, seenIn.get());
        assertEquals(7, Infrastructure.call(() -> 7));
    }

    @Test
    void aRunningMemberCannotBeDeclared() throws Exception {
        CountDownLatch started = new CountDownLatch(1), release = new CountDownLatch(1);
        Thread[] t = new Thread[1];
        Contract c;
        try (var a = ContractTemplate.process().activate()) {
            t[0] = new Thread(() -> {
                started.countDown();
                await(release);
            });
            t[0].start();
            c = Contracts.latest();
        }
        await(started);
        try {
            InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> Infrastructure.declare(t[0]));
            assertTrue(e.getMessage().contains("already a member of contract " + c.view().id()), e.getMessage());
            assertFalse(Infrastructure.isInfrastructure(t[0]));
        } finally {
            release.countDown();
            t[0].join();
            c.abandon();
        }
    }

    @Test
    void nullIsRefusedByName() {
        assertThrows(InvalidArgumentException.class, () -> Infrastructure.declare((Thread) null));
        assertThrows(InvalidArgumentException.class,
                () -> Infrastructure.declare((java.util.function.Predicate<Thread>) null));
        assertThrows(InvalidArgumentException.class, () -> Infrastructure.run(null));
        assertThrows(InvalidArgumentException.class, () -> Infrastructure.call(null));
        assertThrows(InvalidArgumentException.class, () -> Infrastructure.isInfrastructure(null));
    }

    @Test
    void aThrowingRecogniserDecidesNothing() throws Exception {
        Infrastructure.declare(t -> {
            if (t.getName().equals("recogniser-probe")) throw new IllegalStateException("broken recogniser");
            return false;
        });
        AtomicInteger seenIn = new AtomicInteger(-1);
        int member = inMember(() -> {
            Thread t = new Thread(() -> seenIn.set(Contracts.current().id()), "recogniser-probe");
            t.start();
            try {
                t.join();
            } catch (InterruptedException e) {
                throw new RuntimeException(e);
            }
        });
        assertEquals(member, seenIn.get(), "the thread still starts, as a member");
    }
}
