package io.jcontract;

/**
 * The kinds of event a process contract reports (illumos
 * {@code <sys/contract/process.h>}, in the order of its bit values, so numeric
 * event sets written for {@code ctrun(1)} mean the same to jcontract's tools).
 * The API takes and gives event sets as {@code Set<EventType>}.
 */
public enum EventType {
    /** The contract has no members left. Payload: the last member that left. */
    EMPTY,
    /** A member started a new member. Payload: child and parent. */
    FORK,
    /** A member ended. Payload: member and exit status. */
    EXIT,
    /** A member died of an uncaught throwable (the JVM's "core dump"). */
    CORE,
    /** A member died after an interrupt sent from outside its contract. */
    SIGNAL,
    /** A member died of a {@link VirtualMachineError}. */
    HWERR
}
