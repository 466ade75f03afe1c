package io.jcontract;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** Issue 14, defect 13: bad input gets a clear exception; huge durations saturate; one member per task. */
@Timeout(60)
class SmallDefectsTest {
    private final TestSupport ts = new TestSupport();

    @AfterEach
    void cleanUp() {
        ts.close();
    }

    @Test
    void adoptingTheRootContractIsInvalidNotANullPointer() {
        var e = assertThrows(InvalidArgumentException.class, () -> Contracts.adopt(1));
        assertTrue(e.getMessage().contains("root"), e.getMessage());
    }

    @Test
    void statusOfNullDetailIsAClearException() {
        CountDownLatch go = ts.gate();
        var c = ts.create(ContractTemplate.process(), () -> TestSupport.park(go));
        var e = assertThrows(InvalidArgumentException.class, () -> c.contract().status(null));
        assertTrue(e.getMessage().contains("detail"), e.getMessage());
        assertThrows(InvalidArgumentException.class, () -> c.contract().view().status(null));
        go.countDown();
    }

    @Test
    void aWrappedPlainExecutorRefusesNullAtTheCall() {
        List<Runnable> queued = new ArrayList<>();
        var wrapped = ContractExecutors.wrap((java.util.concurrent.Executor) queued::add);
        assertThrows(NullPointerException.class, () -> wrapped.execute(null));
        assertEquals(List.of(), queued, "nothing was handed to the executor");
    }

    @Test
    void durationsBeyond292YearsSaturate() throws Exception {
        Duration forever = Duration.ofSeconds(Long.MAX_VALUE);
        var c = ts.create(ContractTemplate.process().critical(EventType.EMPTY), () -> { });
        EventListener l = ts.track(c.contract().events());
        assertTrue(c.member().join(Duration.ofSeconds(30)));
        KillReport r = c.contract().kill().awaitEmpty(forever);
        assertTrue(r.empty());
        assertInstanceOf(ContractEvent.Empty.class, l.takeCritical(forever));
    }

    /** ExecutorCompletionService (and invokeAny, which uses it) wraps each task once more: still one member. */
    @Test
    void aCompletionServiceOverAWrappedPoolMakesOneMemberPerTask() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            ExecutorService wrapped = ContractExecutors.wrap(pool);
            int tasks = 3;
            CountDownLatch go = ts.gate();
            var c = ts.create(ContractTemplate.process().informative(EventType.FORK, EventType.CORE).critical(EventType.EMPTY), () -> {
                TestSupport.park(go);
                var ecs = new ExecutorCompletionService<Integer>(wrapped);
                for (int i = 0; i < tasks; i++) {
                    int n = i;
                    ecs.submit(() -> n);
                }
                try {
                    for (int i = 0; i < tasks; i++) ecs.take().get();
                    wrapped.invokeAny(List.of(() -> 7));
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            EventListener l = ts.track(c.contract().events());
            go.countDown();
            List<ContractEvent> events = TestSupport.until(l, c.id(), EventType.EMPTY);
            assertTrue(events.stream().noneMatch(e -> e instanceof ContractEvent.Core), "the member failed: " + events);
            long forks = events.stream().filter(e -> e instanceof ContractEvent.Fork).count();
            assertEquals(tasks + 1, forks, "one FORK per task (3 completion-service tasks, 1 invokeAny): " + events);
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
        }
    }
}
