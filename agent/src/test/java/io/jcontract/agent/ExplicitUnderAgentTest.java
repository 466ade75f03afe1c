package io.jcontract.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jcontract.ContractEvent;
import io.jcontract.ContractExecutors;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The explicit API and the agent together: a task handed to an executor
 * that {@code ContractExecutors.wrap} made is forked once, by the explicit
 * API, whatever the pool does with it (a ForkJoinPool wraps it in an adapter
 * task the agent also sees).
 */
@Timeout(30)
class ExplicitUnderAgentTest {
    private static void oneForkPerTask(ExecutorService pool) throws Exception {
        AgentTest.Run[] r = new AgentTest.Run[1];
        try (AgentTest.Run run = r[0] = new AgentTest.Run(() -> {
            ExecutorService ex = ContractExecutors.wrap(pool);
            try {
                ex.submit(r[0]::note).get();
                ex.execute(r[0]::note);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        })) {
            run.untilEmpty();
            assertEquals(2, run.count(ContractEvent.Fork.class), () -> "one FORK per task: " + run.seen);
            assertEquals(3, run.count(ContractEvent.Exit.class), () -> run.seen.toString());
        } finally {
            pool.shutdown();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aWrappedForkJoinPoolForksEachTaskOnce() throws Exception {
        oneForkPerTask(new ForkJoinPool(2));
    }

    @Test
    void aWrappedThreadPoolForksEachTaskOnce() throws Exception {
        oneForkPerTask(Executors.newFixedThreadPool(2));
    }
}
