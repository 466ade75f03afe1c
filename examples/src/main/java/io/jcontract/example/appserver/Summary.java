package io.jcontract.example.appserver;

import io.jcontract.restarter.ServiceStatus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo's outcome, written by {@code --summary FILE} as JSON:
 *
 * <pre>{@code
 * { "durationSeconds": 30.4,
 *   "services": [ {"name", "stateAtEndOfRun", "state", "restarts", "contractId", "reason",
 *                  "faultsInjected": [...], "faultsDetected": [...]} ],
 *   "faults": [ {"kind", "service", "injectedAtSeconds", "detected", "detection"} ],
 *   "allFaultsDetected": true,
 *   "unexpectedFaults": [],
 *   "requests": { "http": {"succeeded", "failed"}, "worker": {...}, "pipeline": {...} },
 *   "atEnd": { "contractsAlive": 0, "membersAlive": 0, "contracts": [] } }
 * }</pre>
 *
 * {@code stateAtEndOfRun} is a service's state when the load stopped, before the
 * shutdown; {@code state}, {@code restarts} and {@code reason} are read after it.
 * {@code atEnd} counts the contracts (other than the root) and their members
 * still alive after the shutdown: zero when nothing leaked.
 */
record Summary(double durationSeconds, List<ServiceStatus> atEndOfRun, List<ServiceStatus> services, List<FaultLedger.Fault> faults,
               List<String> unexpected, Map<String, LoadDriver.Counts> requests, List<ContractTree.Node> leftovers) {

    boolean allFaultsDetected() {
        return !faults.isEmpty() && faults.stream().allMatch(FaultLedger.Fault::detected);
    }

    int membersAlive() {
        return leftovers.stream().mapToInt(n -> n.status().members().size()).sum();
    }

    String json() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("durationSeconds", Math.round(durationSeconds * 100) / 100.0);
        List<Object> svcs = new ArrayList<>();
        for (ServiceStatus s : services) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", s.name());
            m.put("stateAtEndOfRun", atEndOfRun.stream().filter(a -> a.name().equals(s.name()))
                    .map(a -> a.state().name()).findFirst().orElse(null));
            m.put("state", s.state().name());
            m.put("restarts", s.restarts());
            m.put("contractId", s.contractId());
            m.put("reason", s.reason());
            m.put("faultsInjected", faults.stream().filter(f -> f.service().equals(s.name()))
                    .map(f -> f.kind().name()).toList());
            m.put("faultsDetected", faults.stream().filter(f -> f.service().equals(s.name()) && f.detected())
                    .map(f -> f.kind().name()).toList());
            svcs.add(m);
        }
        root.put("services", svcs);
        List<Object> fl = new ArrayList<>();
        for (FaultLedger.Fault f : faults) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("kind", f.kind().name());
            m.put("service", f.service());
            m.put("how", f.how());
            m.put("injectedAtSeconds", f.injectedAtMillis() / 1000.0);
            m.put("detected", f.detected());
            m.put("detectedAtSeconds", f.detected() ? f.detectedAtMillis() / 1000.0 : null);
            m.put("detection", f.detection());
            fl.add(m);
        }
        root.put("faults", fl);
        root.put("allFaultsDetected", allFaultsDetected());
        root.put("unexpectedFaults", unexpected);
        Map<String, Object> req = new LinkedHashMap<>();
        requests.forEach((name, c) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("succeeded", c.succeeded.get());
            m.put("failed", c.failed.get());
            req.put(name, m);
        });
        root.put("requests", req);
        Map<String, Object> end = new LinkedHashMap<>();
        end.put("contractsAlive", leftovers.size());
        end.put("membersAlive", membersAlive());
        end.put("contracts", leftovers.stream().map(n -> n.status().id() + " " + n.status().state() + " "
                + n.status().serviceIdentity() + " members " + n.status().members()).toList());
        root.put("atEnd", end);
        return Json.write(root);
    }

    void write(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        Files.writeString(file, json() + "\n");
    }
}
