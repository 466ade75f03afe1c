package io.jcontract.agent;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Agent configuration: the agent argument, else the system property
 * {@code jcontract.agent}. Comma-separated tokens: a path name alone selects
 * exactly the paths named; {@code -name} removes one from the default (all);
 * {@code verbose} logs what is instrumented and the install time;
 * {@code postmortem=DIR} writes a post-mortem file for each CORE event into
 * DIR (it sets the core's system property {@code jcontract.postmortem.dir}
 * unless the command line already did).
 */
final class Config {
    enum Path { THREADS, EXECUTORS, FORKJOIN, COMPLETABLEFUTURE, TIMER, INTERRUPTS, BLOCKING }

    final Set<Path> paths;
    final boolean verbose;
    /** Classes that lifecycle adapters ask to see constructed (binary names); set by the installer. */
    java.util.Collection<String> libraryClasses = java.util.List.of();

    private Config(Set<Path> paths, boolean verbose) {
        this.paths = paths;
        this.verbose = verbose;
    }

    static Config parse(String args) {
        String spec = args;
        if (spec == null || spec.isBlank()) spec = System.getProperty("jcontract.agent", "");
        boolean verbose = Boolean.getBoolean("jcontract.agent.verbose");
        EnumSet<Path> only = EnumSet.noneOf(Path.class), without = EnumSet.noneOf(Path.class);
        for (String raw : spec.split("[,;]")) {
            String tok = raw.trim().toLowerCase(Locale.ROOT);
            if (tok.isEmpty()) continue;
            if (tok.startsWith("postmortem=")) {
                String dir = raw.trim().substring("postmortem=".length());
                if (dir.isBlank()) throw new IllegalArgumentException("jcontract agent: postmortem= needs a directory");
                if (System.getProperty("jcontract.postmortem.dir") == null)
                    System.setProperty("jcontract.postmortem.dir", dir);
                continue;
            }
            if (tok.equals("verbose")) {
                verbose = true;
            } else if (tok.equals("quiet")) {
                verbose = false;
            } else if (tok.equals("all")) {
                only.addAll(EnumSet.allOf(Path.class));
            } else if (tok.startsWith("-")) {
                without.add(path(tok.substring(1)));
            } else {
                only.add(path(tok.startsWith("+") ? tok.substring(1) : tok));
            }
        }
        EnumSet<Path> paths = only.isEmpty() ? EnumSet.allOf(Path.class) : only;
        paths.removeAll(without);
        return new Config(paths, verbose);
    }

    private static Path path(String name) {
        try {
            return Path.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("jcontract agent: unknown path '" + name
                    + "' (known: threads, executors, forkjoin, completablefuture, timer, interrupts, blocking, verbose, postmortem=DIR)");
        }
    }

    boolean on(Path p) {
        return paths.contains(p);
    }
}
