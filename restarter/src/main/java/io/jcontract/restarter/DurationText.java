package io.jcontract.restarter;

import java.time.Duration;

/**
 * Durations in the restarter's reasons, as a person writes them: {@code 10 s},
 * {@code 1.5 s}, {@code 250 ms}, {@code 2 min}, not ISO-8601's {@code PT10S}.
 * A pure function; no state.
 */
final class DurationText {
    private DurationText() {
    }

    static String of(Duration d) {
        if (d.isNegative()) return "-" + of(d.negated());
        long nanos;
        try {
            nanos = d.toNanos();
        } catch (ArithmeticException tooLong) {
            return d.toDays() + " d";
        }
        if (nanos < 1_000_000 && nanos > 0) return trim(nanos / 1e6) + " ms";
        long millis = d.toMillis();
        if (millis < 1_000) return millis + " ms";
        if (millis < 120_000 || millis % 60_000 != 0) {
            if (millis < 600_000) return trim(millis / 1e3) + " s";
        }
        long minutes = d.toMinutes();
        if (minutes < 60) return minutes + " min";
        long hours = d.toHours(), rest = minutes % 60;
        return hours + " h" + (rest == 0 ? "" : " " + rest + " min");
    }

    /** At most one decimal, none when it is 0. */
    private static String trim(double v) {
        double r = Math.round(v * 10) / 10.0;
        return r == Math.rint(r) ? Long.toString((long) r) : Double.toString(r);
    }
}
