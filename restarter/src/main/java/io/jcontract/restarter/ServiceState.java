package io.jcontract.restarter;

/**
 * The state of a service, as SMF names them (plus two transitional states).
 *
 * <pre>
 *   OFFLINE ──(enabled, dependencies ONLINE)──▶ STARTING ──(start method ready)──▶ ONLINE
 *      ▲                                          │  ▲                              │
 *      │                                          │  └──(fault / EMPTY: restart)────┘
 *      │                       (3 start method failures, or restarts too quick)
 *      │                                          ▼
 *      └───────────(clear)──────────────── MAINTENANCE
 *   any ──(disable)──▶ STOPPING ──▶ DISABLED ──(enable)──▶ OFFLINE
 * </pre>
 */
public enum ServiceState {
    /** Not running: waiting for its dependencies, or stopped and not to be restarted (see the reason). */
    OFFLINE,
    /** The start method runs in a new contract; the service is not ready yet. */
    STARTING,
    /** The start method reported the service ready; its contract holds its members. */
    ONLINE,
    /** The restarter is stopping it: stop method, then kill, then waiting for EMPTY. */
    STOPPING,
    /** Failed too often; stays stopped until {@link Restarter#clear(String) cleared}. */
    MAINTENANCE,
    /** Disabled through the API; stays stopped until {@link Restarter#enable(String) enabled}. */
    DISABLED
}
