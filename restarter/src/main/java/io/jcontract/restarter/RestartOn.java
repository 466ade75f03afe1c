package io.jcontract.restarter;

import io.jcontract.EventType;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * Which events restart a service: SMF's {@code startd/restart_on}, mapped to
 * the service contract's critical set as svc.startd maps it (SEMANTICS 1.8).
 *
 * <p>One deviation, for every value: EMPTY is always in the critical set,
 * because the restarter must learn that a service has no member left (to
 * mark it OFFLINE and give its contract up) even when that is not a reason
 * to restart it. Only {@link #ALL} restarts on EMPTY.
 */
public enum RestartOn {
    /** Restart when the service exits (EMPTY) and on every fault: HWERR, SIGNAL, CORE, EMPTY. */
    ALL(EventType.HWERR, EventType.SIGNAL, EventType.CORE, EventType.EMPTY),
    /** Restart on any fault (HWERR, SIGNAL, CORE); a service that exits by itself goes OFFLINE. */
    ANY_FAULT(EventType.HWERR, EventType.SIGNAL, EventType.CORE),
    /** Restart on faults from outside the service's code (HWERR, SIGNAL); a CORE is only reported. */
    EXTERNAL_FAULT(EventType.HWERR, EventType.SIGNAL),
    /** Never restart; when the service empties it goes OFFLINE. */
    NONE();

    private final Set<EventType> restartEvents;

    RestartOn(EventType... events) {
        EnumSet<EventType> s = EnumSet.noneOf(EventType.class);
        Collections.addAll(s, events);
        this.restartEvents = Collections.unmodifiableSet(s);
    }

    /** The events that restart the service (before {@code ignore_error} is taken out). */
    public Set<EventType> restartEvents() {
        return restartEvents;
    }
}
