/**
 * jcontract's SMF-like restarter ({@code io.jcontract.restarter}, its JFR events), its health probes
 * ({@code io.jcontract.probes}: HTTP {@code /livez}, {@code /readyz}; systemd notify) and its MXBean
 * ({@code io.jcontract.restarter.management}). Uses core's public API only. The JDK 22+ classes of
 * the multi-release part ({@code META-INF/versions/22}) are in the same packages; this descriptor is
 * in the base root only.
 */
module io.jcontract.restarter {
    requires transitive io.jcontract;
    requires java.management;
    requires jdk.jfr;
    requires jdk.httpserver;

    exports io.jcontract.restarter;
    exports io.jcontract.restarter.management;
    exports io.jcontract.probes;
}
