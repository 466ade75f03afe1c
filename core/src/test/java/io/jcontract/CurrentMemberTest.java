package io.jcontract;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The calling thread's member, however the kernel finds it (a ThreadLocal; on JDK 25+ without the
 * agent, a scoped-value binding for threads the explicit API starts): a pooled task run inline on a
 * member thread is the thread's member while it runs, and the thread's own member is back after it,
 * nested or not.
 */
@Timeout(60)
class CurrentMemberTest {

    @Test
    void aTaskRunInlineOnAMemberThreadIsTheCurrentMemberWhileItRunsAndTheThreadsOwnIsBackAfter() {
        AtomicReference<int[]> seen = new AtomicReference<>();
        Executor inline = ContractExecutors.wrap((Executor) Runnable::run);
        try (TestSupport ts = new TestSupport()) {
            var c = ts.create(ContractTemplate.process(), () -> {
                int outer = Contracts.current().id();
                int[] inner = new int[2];
                try (ContractTemplate.Activation a = ContractTemplate.process().activate()) {
                    inline.execute(() -> {
                        inner[0] = Contracts.current().id();
                        try (ContractTemplate.Activation b = ContractTemplate.process().activate()) {
                            inline.execute(() -> inner[1] = Contracts.current().id());   // nested: a third contract
                        }
                        if (Contracts.current().id() != inner[0]) inner[0] = -1;        // the outer task is back
                    });
                }
                seen.set(new int[] {outer, inner[0], inner[1], Contracts.current().id()});
            });
            TestSupport.join(c.member());
            int[] ids = seen.get();
            assertNotNull(ids, "the member's body did not finish");
            assertEquals(c.id(), ids[0], "the member thread's own contract");
            assertTrue(ids[1] > 0 && ids[1] != ids[0], "the inline task runs as a member of its new contract: " + ids[1]);
            assertTrue(ids[2] > 0 && ids[2] != ids[1] && ids[2] != ids[0], "the nested task's own contract: " + ids[2]);
            assertEquals(ids[0], ids[3], "after the task the thread is its own member again");
        }
    }
}
