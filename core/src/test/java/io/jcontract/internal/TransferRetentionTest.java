package io.jcontract.internal;

import io.jcontract.Contract;
import io.jcontract.ContractState;
import io.jcontract.ContractTemplate;
import io.jcontract.ContractThreads;
import io.jcontract.Contracts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue 14, defect 10: the transfer term named its contract by reference, and every contract keeps
 * its terms for life, so a restart chain (transfer = previous contract, every time) kept every
 * predecessor reachable. A dead predecessor must be collectable.
 */
@Timeout(60)
class TransferRetentionTest {

    @Test
    void aContractDoesNotKeepItsTransferredPredecessorAlive() throws Exception {
        Contract first = emptyContract(ContractTemplate.process());
        ReferenceQueue<ContractImpl> collected = new ReferenceQueue<>();
        WeakReference<ContractImpl> firstImpl = new WeakReference<>(ContractTable.TABLE.find(first.id()), collected);
        assertNotNull(firstImpl.get());
        Contract second = emptyContract(ContractTemplate.process().transfer(first));
        assertEquals(ContractState.DEAD, first.state(), "the transfer abandoned the empty predecessor");
        first = null;
        for (int i = 0; i < 20 && firstImpl.get() != null; i++) {
            System.gc();
            collected.remove(100);
        }
        assertNull(firstImpl.get(), "the successor (through its terms) keeps the dead predecessor reachable");
        second.abandon();
    }

    /** A contract made from {@code terms} whose only member has already ended. */
    private static Contract emptyContract(ContractTemplate terms) throws InterruptedException {
        Contract c;
        Thread t;
        try (var a = terms.activate()) {
            t = ContractThreads.startVirtual(() -> { });
            c = Contracts.latest();
        }
        assertTrue(t.join(Duration.ofSeconds(30)));
        return c;
    }
}
