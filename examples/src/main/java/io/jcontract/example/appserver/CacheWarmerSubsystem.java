package io.jcontract.example.appserver;

import io.jcontract.restarter.RestartOn;
import io.jcontract.restarter.ServiceSpec;

/**
 * A small fourth service that keeps a cache warm with one thread. Once its
 * manifest is {@linkplain #corruptManifest() corrupted} (by the fault
 * injector) every instance crashes as soon as it starts: a crash loop, which
 * the restarter's throttle ends in MAINTENANCE. Not essential, so that is
 * not escalated.
 */
final class CacheWarmerSubsystem {
    static final String NAME = "svc:/demo/cache-warmer:default";

    private volatile boolean manifestCorrupt;
    private volatile Thread warmer;

    ServiceSpec spec() {
        return ServiceSpec.builder(NAME)
                .start(() -> warmer = Thread.ofPlatform().name("cache-warmer").daemon(true).start(this::warm))
                .stop(this::stop)
                .restartOn(RestartOn.ALL)
                .build();
    }

    void corruptManifest() {
        manifestCorrupt = true;
    }

    private void warm() {
        while (true) {
            if (manifestCorrupt) throw new IllegalStateException("cache manifest is corrupt; cannot warm the cache");
            try {
                Thread.sleep(100);   // the warming cadence
            } catch (InterruptedException stoppedOrKilled) {
                return;
            }
        }
    }

    private void stop() {
        Thread t = warmer;
        if (t != null) t.interrupt();
    }
}
