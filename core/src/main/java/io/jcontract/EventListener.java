package io.jcontract;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * A reader of one event queue with a cursor of its own: a contract's queue
 * ({@link ContractView#events()}), the bundle of every contract
 * ({@link Contracts#bundle()}) or the queue of the contracts a thread holds
 * ({@link Contracts#ownerEvents()}).
 *
 * <p>A listener starts at the head of its queue: the oldest event still kept,
 * which includes every critical event not yet acknowledged. Informative
 * events are kept only while some listener still has to read them; an
 * ordinary listener that falls more than the queue's capacity behind loses
 * the oldest informative events ({@link #dropped()} counts them), a
 * {@linkplain ContractView#reliableEvents() reliable} one never does.
 *
 * <p>All methods are safe to call from any thread; the blocking ones park,
 * which suits virtual threads. Close the listener when done, or the
 * informative events it has not read are kept.
 */
public interface EventListener extends AutoCloseable {

    /**
     * Reads the next event, waiting up to {@code timeout} for one.
     *
     * @throws TimeoutException if none came in time
     * @throws QueueGoneException if the queue was destroyed and everything in it read
     * @throws InterruptedException if the waiting thread was interrupted
     */
    ContractEvent take(Duration timeout) throws InterruptedException, TimeoutException;

    /**
     * Reads the next critical event that is not yet acknowledged, skipping
     * informative and acknowledged ones, waiting up to {@code timeout}.
     */
    ContractEvent takeCritical(Duration timeout) throws InterruptedException, TimeoutException;

    /**
     * Reads the next event if one is ready; empty says nothing is.
     *
     * @throws QueueGoneException if the queue was destroyed and everything in it read
     */
    Optional<ContractEvent> poll();

    /** Like {@link #poll()}, for unacknowledged critical events only. */
    Optional<ContractEvent> pollCritical();

    /** The event the next {@link #poll()} would return, without moving the cursor. */
    Optional<ContractEvent> peek();

    /**
     * Moves past the current event if, and only if, its id is {@code eventId}:
     * with {@link #peek()} this reads an event "at most once" even when two
     * threads share the listener.
     *
     * @return whether the cursor moved
     */
    boolean next(long eventId);

    /** Moves the cursor back to the head of the queue. */
    void reset();

    /** Informative events this listener lost because it fell too far behind. */
    long dropped();

    /** Unregisters the listener; events kept only for it may then be freed. */
    @Override
    void close();
}
