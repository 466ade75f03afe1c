package io.jcontract;

import io.jcontract.internal.ContractTable;
import io.jcontract.internal.EventQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14, defect 9: listeners that are never closed must not keep their events. 10,000 bundle
 * listeners are opened and forgotten (never closed, never read) while contracts come and go; once
 * the contracts are gone and the listeners unreachable, a {@link java.lang.ref.Cleaner} closes them,
 * and the bundle keeps no event for them.
 */
@Timeout(120)
class ForgottenListenersTest {
    private static final int LISTENERS = 10_000;

    @Test
    void tenThousandForgottenBundleListenersRetainNoEventsOnceTheContractsAreGone() throws Exception {
        EventQueue bundle = ContractTable.TABLE.bundle();
        int listenersBefore = bundle.listeners();
        for (int i = 0; i < LISTENERS; i++) {
            forgetABundleListener();
            if (i % 100 == 0) runAndAbandonAContract(i);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while ((bundle.listeners() > listenersBefore || bundle.retained() != 0) && System.nanoTime() < deadline) {
            System.gc();
            LockSupport.parkNanos(20_000_000L);
        }
        assertTrue(bundle.listeners() <= listenersBefore,
                bundle.listeners() + " bundle listeners still registered, " + listenersBefore + " before");
        assertEquals(0, bundle.retained(), "events kept for listeners nobody can reach");
    }

    private static void forgetABundleListener() {
        Contracts.bundle();             // opened, never read, never closed
    }

    private static void runAndAbandonAContract(int cookie) throws Exception {
        Contract c;
        Thread member;
        try (var active = ContractTemplate.process().cookie(cookie).activate()) {
            member = ContractThreads.startVirtual(() -> { });
            c = Contracts.latest();
        }
        member.join(TimeUnit.SECONDS.toMillis(30));
        try (EventListener events = c.events()) {
            ContractEvent e;
            do e = events.take(java.time.Duration.ofSeconds(30)); while (e.type() != EventType.EMPTY);
        }
        c.abandon();
        assertEquals(ContractState.DEAD, c.state());
    }
}
