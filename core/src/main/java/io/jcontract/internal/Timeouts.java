package io.jcontract.internal;

import io.jcontract.InvalidArgumentException;

import java.time.Duration;

/** The kernel's one rule for a caller's timeout: checked for null, and saturated rather than overflowed. */
final class Timeouts {
    private Timeouts() {
    }

    /**
     * {@code timeout} in nanoseconds, {@code Long.MAX_VALUE} for anything
     * longer (about 292 years; {@code Long.MIN_VALUE} for anything that far
     * negative): waiting "forever" is not an error.
     *
     * @throws InvalidArgumentException if {@code timeout} is null
     */
    static long saturatedNanos(Duration timeout) {
        if (timeout == null) throw new InvalidArgumentException("timeout is null");
        try {
            return timeout.toNanos();
        } catch (ArithmeticException tooLong) {
            return timeout.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }
}
