package io.jcontract.example.appserver;

import java.util.concurrent.CompletableFuture;

/**
 * A unit of work for the worker or the pipeline subsystem: what the load
 * driver (or, poisoned, the fault injector) puts in a subsystem's inbox.
 * The subsystem completes {@code result}; the sender waits on it with a
 * timeout, so a job lost in a killed subsystem counts as failed.
 *
 * @param id a sequence number, for the log
 * @param payload the input; a few {@linkplain #CORRUPT values} make the subsystem's code fail
 * @param result completed with the output, or exceptionally
 */
record Job(long id, String payload, CompletableFuture<String> result) {

    /** Worker: a data segment whose checksum cannot be computed (an uncaught exception in a pooled task). */
    static final String CORRUPT = "corrupt-segment";
    /** Worker: an export to a store that never answers (a member that ignores interrupts). */
    static final String EXPORT = "export-snapshot";
    /** Pipeline: a record that trips a (simulated) uncorrectable memory error in a stage. */
    static final String ECC = "ecc-error";

    Job(long id, String payload) {
        this(id, payload, new CompletableFuture<>());
    }
}
