package io.jcontract.restarter.management;

import java.util.List;

/**
 * A {@link io.jcontract.restarter.Restarter}'s health as a platform MXBean,
 * {@code io.jcontract:type=Restarter,name=<restarter name>}: the attributes
 * of {@link io.jcontract.restarter.Health}, for JMX-based monitoring
 * (JConsole, a JMX exporter). Registered by {@link RestarterRegistration#register}.
 * Read-only: every attribute is computed from a fresh {@code health()} snapshot.
 */
public interface RestarterMXBean {

    /** The object name's domain and type; the key {@code name} is the restarter's name. */
    String OBJECT_NAME_PREFIX = "io.jcontract:type=Restarter,name=";

    /** Whether the supervisor loop runs and is not stuck (Kubernetes liveness). */
    boolean isLive();

    /** Whether every essential service (with none marked, every enabled one) is ONLINE (readiness). */
    boolean isReady();

    /** Why not ready or not live: one line per failing service or loop problem. */
    List<String> getFailing();

    /** One line: e.g. {@code ready: 4/4 services online}. */
    String getSummary();

    /** Services ONLINE. */
    int getServicesOnline();

    /** Services added. */
    int getServices();

    /** The running restarter thread's generation (0, then +1 per restart of a dead restarter thread). */
    int getGeneration();
}
