package io.jcontract;

import static io.jcontract.TestSupport.WAIT;
import static io.jcontract.TestSupport.first;
import static io.jcontract.TestSupport.park;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** jcontract's JFR events, recorded and read back with {@code jdk.jfr.consumer}. */
@Timeout(30)
class JfrEventsTest {
    static final List<String> NAMES = List.of("io.jcontract.Fork", "io.jcontract.Exit", "io.jcontract.Empty",
            "io.jcontract.Kill", "io.jcontract.Core", "io.jcontract.HwErr", "io.jcontract.Signal");

    @TempDir
    Path dir;

    private static Recording recording() {
        Recording r = new Recording();
        for (String n : NAMES) r.enable(n);
        r.start();
        return r;
    }

    private List<RecordedEvent> stopAndRead(Recording r) throws Exception {
        r.stop();
        Path file = dir.resolve("jcontract.jfr");
        r.dump(file);
        assertTrue(Files.size(file) > 0);
        return RecordingFile.readAllEvents(file);
    }

    private static List<RecordedEvent> of(List<RecordedEvent> events, String name, int contractId) {
        return events.stream().filter(e -> e.getEventType().getName().equals(name))
                .filter(e -> contractId == 0 || e.getInt("contractId") == contractId).toList();
    }

    @Test
    void forkExitCoreKillAndEmptyAreRecordedWithTheirFields() throws Exception {
        List<RecordedEvent> events;
        int id;
        long holder = Thread.currentThread().threadId();
        long firstId, stubbornId, crasherId;
        try (Recording r = recording(); TestSupport s = new TestSupport()) {
            CountDownLatch crash = s.gate(), release = s.gate(), forked = new CountDownLatch(1);
            List<Thread> children = new CopyOnWriteArrayList<>();
            var c = s.create(ContractTemplate.process().critical(EventType.EMPTY, EventType.CORE).fatal(), () -> {
                children.add(s.startChild(() -> {          // ignores the kill until released: a straggler
                    while (true) {
                        try {
                            release.await();
                            return;
                        } catch (InterruptedException ignored) {
                            // stubborn
                        }
                    }
                }));
                children.add(s.startChild(() -> {
                    park(crash);
                    throw new IllegalStateException("boom");
                }));
                forked.countDown();
                park(release);                               // returns when killed
            });
            id = c.id();
            firstId = c.member().threadId();
            TestSupport.await(forked);
            stubbornId = children.get(0).threadId();
            crasherId = children.get(1).threadId();
            try (EventListener l = s.track(c.contract().events())) {
                crash.countDown();
                c.contract().ack(first(l, id, ContractEvent.Core.class));
                KillReport report = c.contract().kill().awaitEmpty(Duration.ofMillis(200));
                assertFalse(report.empty());
                assertEquals(1, report.stragglers().size());
                release.countDown();
                first(l, id, ContractEvent.Empty.class);
            }
            events = stopAndRead(r);
        }

        List<RecordedEvent> forks = of(events, "io.jcontract.Fork", id);
        assertEquals(Map.of(firstId, holder, stubbornId, firstId, crasherId, firstId),
                forks.stream().collect(Collectors.toMap(e -> e.getLong("member"), e -> e.getLong("parent"))));

        Map<Long, RecordedEvent> exits = of(events, "io.jcontract.Exit", id).stream()
                .collect(Collectors.toMap(e -> e.getLong("member"), e -> e));
        assertEquals(Set.of(firstId, stubbornId, crasherId), exits.keySet());
        assertEquals(1, exits.get(crasherId).getInt("status"));
        assertEquals(IllegalStateException.class.getName(), exits.get(crasherId).getString("cause"));
        assertEquals(ExitStatus.KILLED.code(), exits.get(firstId).getInt("status"));
        assertEquals("KILLED", exits.get(firstId).getString("exitStatus"));
        assertEquals("FAILED", exits.get(crasherId).getString("exitStatus"));
        assertEquals(ExitStatus.KILLED.code(), exits.get(stubbornId).getInt("status"));

        List<RecordedEvent> cores = of(events, "io.jcontract.Core", id);
        assertEquals(1, cores.size());
        assertEquals(crasherId, cores.getFirst().getLong("member"));
        assertEquals(IllegalStateException.class.getName(), cores.getFirst().getString("throwable"));
        assertEquals("boom", cores.getFirst().getString("message"));

        List<RecordedEvent> kills = of(events, "io.jcontract.Kill", id).stream()
                .sorted(java.util.Comparator.comparing(RecordedEvent::getStartTime)).toList();
        assertEquals(2, kills.size(), "the wait that ended with a straggler, then the emptying: " + kills);
        RecordedEvent waited = kills.get(0), emptied = kills.get(1);
        assertFalse(waited.getBoolean("empty"));
        assertEquals(1, waited.getInt("stragglers"));
        assertTrue(waited.getDuration("killDuration").compareTo(Duration.ofMillis(200)) >= 0,
                "waited " + waited.getDuration("killDuration"));
        assertTrue(emptied.getBoolean("empty"));
        assertEquals(0, emptied.getInt("stragglers"));
        assertTrue(emptied.getDuration("killDuration").compareTo(waited.getDuration("killDuration")) >= 0);

        List<RecordedEvent> empties = of(events, "io.jcontract.Empty", id);
        assertEquals(1, empties.size());
        assertEquals(stubbornId, empties.getFirst().getLong("member"));
        assertEquals("jcontract", String.join("/", empties.getFirst().getEventType().getCategoryNames()));
    }

    @Test
    void aVirtualMachineErrorIsAnHwErrEventAndAKillOfAQuietContractEndsWhenItEmpties() throws Exception {
        List<RecordedEvent> events;
        int id;
        long member;
        try (Recording r = recording(); TestSupport s = new TestSupport()) {
            var c = s.create(ContractTemplate.process().fatal(EventType.HWERR), () -> {
                throw new OutOfMemoryError("injected");
            });
            id = c.id();
            member = c.member().threadId();
            try (EventListener l = s.track(c.contract().events())) {
                first(l, id, ContractEvent.Empty.class);
            }
            events = stopAndRead(r);
        }
        List<RecordedEvent> hw = of(events, "io.jcontract.HwErr", id);
        assertEquals(1, hw.size());
        assertEquals(member, hw.getFirst().getLong("member"));
        assertEquals(OutOfMemoryError.class.getName(), hw.getFirst().getString("error"));
        // HWERR is fatal: the kill found nobody else, and the offender's exit emptied the contract.
        List<RecordedEvent> kills = of(events, "io.jcontract.Kill", id);
        assertEquals(1, kills.size());
        assertTrue(kills.getFirst().getBoolean("empty"));
    }

    @Test
    void withoutARecordingNothingIsEnabled() {
        for (String n : NAMES) {
            var type = jdk.jfr.FlightRecorder.isInitialized()
                    ? jdk.jfr.FlightRecorder.getFlightRecorder().getEventTypes().stream()
                        .filter(t -> t.getName().equals(n)).findFirst().orElse(null)
                    : null;
            if (type != null) assertFalse(type.isEnabled(), n + " is enabled with no recording");
        }
    }
}
