package io.jcontract.restarter;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The restarter's health for the next supervisor up (Kubernetes probes,
 * systemd, a load balancer): an immutable snapshot from {@link Restarter#health()}.
 *
 * <h2>Theory of operation</h2>
 * Derived from the status board and the supervisor loop only, never from
 * user code:
 * <ul>
 * <li><b>Live</b>: the restarter was started, was not stopped, its supervisor
 *     thread runs, and the current restarter thread went round its loop within
 *     the {@linkplain Restarter.Builder#livenessTimeout liveness timeout}. A
 *     restarter thread that died is restarted by the supervisor; one stuck
 *     (in a listener, an escalation, a kill that waits too long) stops being live.</li>
 * <li><b>Ready</b>: live, and every <em>essential</em> service is ONLINE. When
 *     no service is marked essential, every <em>enabled</em> service must be
 *     ONLINE instead (a DISABLED service is off on purpose and does not count;
 *     a restarter with no service at all is ready once live).</li>
 * </ul>
 * {@code failing} names what keeps the restarter from being ready (or live),
 * one short line each, e.g. {@code svc:/demo/http MAINTENANCE (3 start failures)}.
 *
 * @param live whether the supervisor loop runs and is not stuck
 * @param ready whether every essential (or, with none, every enabled) service is ONLINE, and live
 * @param failing why not live or not ready: one line per failing service or loop problem; empty when ready
 * @param online services ONLINE
 * @param total services added
 * @param essentialOnly whether readiness counted the essential services only
 * @param at when the snapshot was taken
 */
public record Health(boolean live, boolean ready, List<String> failing, int online, int total,
                     boolean essentialOnly, Instant at) {

    public Health {
        failing = List.copyOf(failing);
        Objects.requireNonNull(at, "at");
    }

    /**
     * One line for humans and systemd's {@code STATUS=}: e.g.
     * {@code "ready: 4/4 services online"} or
     * {@code "not ready: 3/4 services online; failing: svc:/a MAINTENANCE (throttled)"}.
     */
    public String summary() {
        String head = !live ? "not live" : ready ? "ready" : "not ready";
        String s = head + ": " + online + "/" + total + " services online";
        if (!failing.isEmpty()) s += "; failing: " + String.join(", ", failing);
        return s.replace('\n', ' ');
    }

    /** Computes health from a board snapshot; {@code loopProblem} is null when the loop is live. */
    static Health of(List<ServiceStatus> board, Set<String> essential, String loopProblem, Instant at) {
        boolean anyEssential = !essential.isEmpty();
        List<String> failing = new ArrayList<>();
        if (loopProblem != null) failing.add(loopProblem);
        int online = 0;
        for (ServiceStatus s : board) {
            if (s.state() == ServiceState.ONLINE) {
                online++;
                continue;
            }
            boolean counts = anyEssential ? essential.contains(s.name()) : s.enabled();
            if (counts) failing.add(s.name() + " " + s.state() + " (" + s.reason() + ")");
        }
        boolean live = loopProblem == null;
        return new Health(live, live && failing.isEmpty(), failing, online, board.size(), anyEssential, at);
    }
}
