package io.jcontract.example.appserver;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The demo's command line: {@code [--duration SECONDS] [--serve] [--summary FILE] [--quiet]}.
 *
 * @param duration how long load runs before the demo shuts down (the faults are spread over
 *                 the first {@link #faultWindow()} of it)
 * @param serve keep serving after the faults until Ctrl-C, instead of ending after {@code duration}
 * @param summary where to write the JSON summary, or {@code null}
 * @param quiet print only the injections, faults, kills, restarts and state changes and the final tables
 */
record DemoOptions(Duration duration, boolean serve, Path summary, boolean quiet) {

    static final Duration DEFAULT_DURATION = Duration.ofSeconds(25);
    /** Shortest run that leaves every fault time to be injected and handled. */
    static final Duration MIN_DURATION = Duration.ofSeconds(6);

    static final String USAGE = """
            usage: AppServerDemo [--duration SECONDS] [--serve] [--summary FILE] [--quiet]
              --duration SECONDS  run the load this long, then shut down (default 25, at least 6)
              --serve             after the faults, keep serving until Ctrl-C
              --summary FILE      write a JSON summary to FILE at the end
              --quiet             no periodic load lines""";

    /** Parses {@code args}; throws IllegalArgumentException naming the bad argument. */
    static DemoOptions parse(String... args) {
        Duration duration = DEFAULT_DURATION;
        boolean serve = false, quiet = false;
        Path summary = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--serve" -> serve = true;
                case "--quiet" -> quiet = true;
                case "--duration" -> duration = seconds(value(args, ++i, "--duration"));
                case "--summary" -> summary = Path.of(value(args, ++i, "--summary"));
                default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
            }
        }
        return new DemoOptions(duration, serve, summary, quiet);
    }

    /** The part of the run over which the faults are spread: the duration, at most the default 25 s. */
    Duration faultWindow() {
        return duration.compareTo(DEFAULT_DURATION) < 0 ? duration : DEFAULT_DURATION;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) throw new IllegalArgumentException(option + " needs a value");
        return args[i];
    }

    private static Duration seconds(String s) {
        double v;
        try {
            v = Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--duration must be a number of seconds, not '" + s + "'");
        }
        Duration d = Duration.ofMillis(Math.round(v * 1000));
        if (d.compareTo(MIN_DURATION) < 0)
            throw new IllegalArgumentException("--duration must be at least " + MIN_DURATION.toSeconds()
                    + " seconds (the faults need time to happen), not " + s);
        return d;
    }
}
