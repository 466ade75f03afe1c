package io.jcontract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jcontract.internal.ContractTable;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The limit on live contracts per owner identity (illumos
 * {@code project.max-contracts}, SEMANTICS 1.3): over it a fork fails with
 * {@link ContractLimitException} and nothing is half-created. Each test runs
 * its creators under identities of their own, so contracts other tests left
 * behind under "system" do not count.
 */
@Timeout(30)
class ContractLimitTest {
    private int oldLimit;

    @BeforeEach
    void remember() {
        oldLimit = ContractTable.TABLE.limit();
    }

    @AfterEach
    void restore() {
        Contracts.setContractLimit(oldLimit);
    }

    private static String unique(String name) {
        return name + "-" + System.nanoTime();
    }

    /** An actor under a fresh identity of its own (fully privileged, so the only difference is the identity). */
    private static Actor creator(Scene s, String name) {
        String identity = unique(name);
        Actor a = s.startActor(name);
        a.run(() -> Credential.current().as(identity).assume());
        return a;
    }

    @Test
    void theLimitIsPositive() {
        assertThrows(InvalidArgumentException.class, () -> Contracts.setContractLimit(0));
        assertThrows(InvalidArgumentException.class, () -> Contracts.setContractLimit(-1));
        assertEquals(oldLimit, ContractTable.TABLE.limit(), "a rejected limit changes nothing");
    }

    @Test
    void overTheLimitAForkFailsAndNothingIsCreated() {
        try (Scene s = new Scene()) {
            Contracts.setContractLimit(3);
            Actor x = creator(s, "x");
            List<CountDownLatch> gates = new ArrayList<>();
            List<TestSupport.Created> made = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                CountDownLatch g = s.gate();
                gates.add(g);
                made.add(s.createOn(x, ContractTemplate.process(), s.parked(g, null)));
            }
            int latest = made.get(2).id();
            Set<Integer> before = new HashSet<>(Contracts.ids());
            TableStats statsBefore = Contracts.stats();
            AtomicBoolean ran = new AtomicBoolean();

            ContractLimitException e = assertThrows(ContractLimitException.class, () -> x.run(() -> {
                try (var active = ContractTemplate.process().cookie(4).activate()) {
                    s.start(() -> ran.set(true));
                }
            }));
            assertEquals(ContractError.EAGAIN, e.error());

            Set<Integer> after = new HashSet<>(Contracts.ids());
            after.removeAll(before);
            assertEquals(Set.of(), after, "no contract was created");
            assertEquals(latest, (int) x.call(() -> Contracts.latest().id()), "latest is unchanged");
            assertFalse(ran.get(), "the thread never ran");
            assertTrue(Contracts.stats().liveContracts() <= statsBefore.liveContracts());
            for (TestSupport.Created c : made) assertEquals(ContractState.OWNED, c.contract().state());

            // Another identity has its own count.
            Actor y = creator(s, "y");
            CountDownLatch gy = s.gate();
            TestSupport.Created other = s.createOn(y, ContractTemplate.process(), s.parked(gy, null));
            assertEquals(ContractState.OWNED, other.contract().state());

            // An orphan is still a live contract: abandoning one with members frees nothing.
            made.get(0).contract().abandon();
            assertEquals(ContractState.ORPHAN, made.get(0).contract().state());
            assertThrows(ContractLimitException.class, () -> x.run(() -> {
                try (var active = ContractTemplate.process().activate()) {
                    s.start(() -> ran.set(true));
                }
            }));
            // Once it is dead, x may create again.
            gates.get(0).countDown();
            TestSupport.join(made.get(0).member());
            assertEquals(ContractState.DEAD, made.get(0).contract().state());
            TestSupport.Created again = s.createOn(x, ContractTemplate.process(), s.parked(gates.get(1), null));
            assertEquals(ContractState.OWNED, again.contract().state());
            assertEquals(again.id(), (int) x.call(() -> Contracts.latest().id()));
            assertFalse(ran.get());
        }
    }

    @Test
    void loweringTheLimitBelowTheCurrentCountKeepsTheContractsButStopsNewOnes() {
        try (Scene s = new Scene()) {
            Actor x = creator(s, "x");
            CountDownLatch g = s.gate();
            TestSupport.Created a = s.createOn(x, ContractTemplate.process(), s.parked(g, null));
            TestSupport.Created b = s.createOn(x, ContractTemplate.process(), s.parked(g, null));
            Contracts.setContractLimit(1);
            assertEquals(ContractState.OWNED, a.contract().state());
            assertEquals(ContractState.OWNED, b.contract().state());
            assertThrows(ContractLimitException.class, () -> x.run(() -> {
                try (var active = ContractTemplate.process().activate()) {
                    s.start(() -> { });
                }
            }));
            // Without a template the fork joins the caller's contract: the limit does not apply.
            TestSupport.join(x.call(() -> s.start(() -> { })));
        }
    }
}
