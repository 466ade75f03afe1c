package io.jcontract.restarter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jcontract.Contracts;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The restarter's JFR events (moved here with it from core), recorded and read back with {@code jdk.jfr.consumer}. */
@Timeout(60)
class RestarterJfrTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void theRestarterRecordsRestartsAndMaintenance() throws Exception {
        List<RecordedEvent> events;
        var before = new HashSet<>(Contracts.ids());
        try (Recording r = new Recording()) {
            r.enable("io.jcontract.Restart");
            r.enable("io.jcontract.Maintenance");
            r.start();
            Restarter restarter = Restarter.builder().name("jfr-test").build();
            restarter.add(ServiceSpec.builder("svc:/jfr/broken").start(() -> {
                throw new IllegalStateException("cannot bind");
            }).build());
            restarter.start();
            try {
                restarter.awaitState("svc:/jfr/broken", ServiceState.MAINTENANCE, WAIT);
            } finally {
                assertTrue(restarter.stop(WAIT));
            }
            r.stop();
            Path file = dir.resolve("restarter.jfr");
            r.dump(file);
            events = RecordingFile.readAllEvents(file);
        }
        List<RecordedEvent> restarts = of(events, "io.jcontract.Restart");
        assertEquals(List.of(1, 2), restarts.stream().map(e -> e.getInt("restarts")).toList());
        assertTrue(restarts.getFirst().getString("reason").contains("cannot bind"));
        List<RecordedEvent> maintenance = of(events, "io.jcontract.Maintenance");
        assertEquals(1, maintenance.size());
        assertEquals("STARTING", maintenance.getFirst().getString("from"));
        assertTrue(maintenance.getFirst().getString("reason").contains("3 times"));
        assertTrue(before.containsAll(Contracts.ids()), "contracts left: " + Contracts.ids());
    }

    private static List<RecordedEvent> of(List<RecordedEvent> events, String name) {
        return events.stream().filter(e -> e.getEventType().getName().equals(name))
                .filter(e -> e.getString("service").equals("svc:/jfr/broken")).toList();
    }
}
