package io.jcontract.agent.cli;

/**
 * Why a command stops early: a usage error (bad options, invalid
 * combinations: the command prints its usage) or a fatal one (the target
 * cannot be reached, the operation failed). Each command maps the two kinds
 * to its own exit statuses, as illumos' {@code libuutil} exit profiles do.
 */
final class CliError extends RuntimeException {
    final boolean usage;

    private CliError(String message, boolean usage) {
        super(message);
        this.usage = usage;
    }

    static CliError usage(String message) {
        return new CliError(message, true);
    }

    static CliError fatal(String message) {
        return new CliError(message, false);
    }
}
