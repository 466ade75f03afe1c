package io.jcontract.management;

import javax.management.ConstructorParameters;

/** What one {@link ContractsMXBean#pollWatch} returns; an open type (CompositeData). */
public final class WatchBatch {
    private final EventData[] events;
    private final long dropped;
    private final int[] gone;
    private final boolean ended;

    @ConstructorParameters({"events", "dropped", "gone", "ended"})
    public WatchBatch(EventData[] events, long dropped, int[] gone, boolean ended) {
        this.events = events.clone();
        this.dropped = dropped;
        this.gone = gone.clone();
        this.ended = ended;
    }

    /** The events read, ascending by id. */
    public EventData[] getEvents() { return events.clone(); }

    /** Informative events the watch has lost so far by falling behind (0 for a reliable one). */
    public long getDropped() { return dropped; }

    /** Ids of watched contracts whose queue is gone (the contract died and all its events were read). */
    public int[] getGone() { return gone.clone(); }

    /** Whether every watched queue is gone: nothing more will come. */
    public boolean isEnded() { return ended; }
}
