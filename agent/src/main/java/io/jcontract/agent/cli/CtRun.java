package io.jcontract.agent.cli;

import io.jcontract.Contract;
import io.jcontract.ContractEvent;
import io.jcontract.ContractTemplate;
import io.jcontract.ContractThreads;
import io.jcontract.Contracts;
import io.jcontract.EventListener;
import io.jcontract.EventType;
import io.jcontract.NoSuchEventException;
import io.jcontract.Param;
import io.jcontract.internal.Bits;
import io.jcontract.management.EventData;

import java.io.PrintStream;
import java.lang.invoke.MethodHandle;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

/**
 * {@code ctrun}: runs a command (a main class or a jar) in a new contract
 * held by this JVM's main thread, as ctrun(1) runs one in a new process
 * contract held by ctrun.
 *
 * <h2>Theory of operation</h2>
 * The terms come from the options with ctrun(1)'s defaults (informative
 * {core}, fatal {hwerr}; critical = fatal ∪ {empty} ∪ {@code -c}, only
 * {empty} with pgrponly) and its rules on invalid combinations. The main
 * thread activates the template and starts the command's thread: that start
 * is the fork that creates the contract, and, with the agent, every thread
 * and pooled task the command starts joins it. With lifetime
 * {@code contract} (the default) ctrun reads its owner queue, acknowledging
 * critical events, until the contract is empty; if a fatal event came
 * first and restarts are left ({@code -r}), it runs the command again in a
 * new contract, transferring the old one's inherited contracts with
 * {@code -t}. Lifetime {@code child} waits for the command's main only,
 * {@code none} for nothing. ctrun then abandons the contract and exits with
 * the command's status (see {@link Command}).
 *
 * <p>Differences: {@code -r} without {@code -f} makes the fatal set
 * {core, hwerr} (with ctrun(1)'s {hwerr} an uncaught exception would never
 * restart the command); {@code -r count} restarts at most count times, as the
 * man page says (illumos' ctrun.c restarts count - 1 times); ctrun's own
 * messages ({@code -v}) go to standard error so the command keeps standard
 * output; the JVM ends when ctrun exits, so with lifetime {@code child} the
 * members left end with it; a command that calls {@code System.exit} ends
 * ctrun too; there is no {@code -a} (adopt). Exit statuses are ctrun(1)'s
 * launcher profile: 125 usage, 124 failure of ctrun itself, else the
 * command's.
 */
final class CtRun {
    static final int USAGE_STATUS = 125;
    static final int FATAL_STATUS = 124;
    /** {@link #run} returns this for lifetime none: the JVM lives on with the orphaned command. */
    static final int KEEP_RUNNING = -1;

    static final String USAGE = """
            Usage: ctrun [-i events] [-c events] [-f events] [-l lifetime] [-o params]
                         [-r count [-t]] [-F fmri] [-A aux] [-v] [-V] [-cp path]
                         ( [--] mainclass | -jar file.jar ) [argument...]
              Runs a Java command in a new process contract of this JVM; start the JVM with
              -javaagent:jcontract-agent.jar (or through java -jar jcontract-agent.jar) so the
              command's threads and pooled tasks join the contract.
              -i, -c, -f events   informative (default: core), critical (default: none), fatal (default: hwerr;
                                  core,hwerr with -r) events: core signal hwerr empty fork exit
                                  (comma-separated, or none alone; only core, signal, hwerr can be fatal);
                                  the critical set is always -c + the fatal set + empty
              -l lifetime         contract (default: exit when the contract empties), child (when the
                                  command's main ends), none (at once, orphaning the contract)
              -o params           noorphan, pgrponly, regent, inherit (comma-separated, or none; default: none)
              -r count            restart the command after a fatal event, at most count times (0: always;
                                  default: never); without -f, -r makes the fatal set core,hwerr, so that
                                  an uncaught exception restarts (ctrun(1)'s hwerr alone would not)
              -t                  on restart, transfer the inherited contracts to the new contract
              -F fmri             service identity of the contract;   -A aux   creator aux text
              -v, -V              report the contract and its events (-V: with details) on stderr
              -cp path            class path of the main class (fresh class loader at each start)
              --version           print the version
            Exit status: the command's (0 returned, 1 threw, 123 VM error, 126 cannot run, 127 not
              found), 124 if ctrun fails, 125 for a usage error.""";

    private enum Lifetime { CONTRACT, CHILD, NONE }

    private CtRun() {
    }

    /** The parsed options: terms, lifetime, restart policy, command. */
    private record Plan(int informative, int critical, int fatal, int params, Lifetime lifetime, int restarts,
                        boolean transfer, String fmri, String aux, boolean verbose, boolean details,
                        Command command) {
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Plan plan = parse(args);
        try {
            return execute(plan, err);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliError.fatal("interrupted");
        }
    }

    private static Plan parse(String[] args) {
        Options o = Options.parse(args, "i:c:f:l:o:r:tF:A:vV", List.of("-cp", "-classpath", "--class-path"),
                List.of("-jar"));
        int informative = o.has("i") ? events(o.last("i"), 'i', false) : Bits.of(EventType.CORE);
        int crit = o.has("c") ? events(o.last("c"), 'c', false) : 0;
        int params = o.has("o") ? params(o.last("o")) : 0;
        // ctrun(1)'s default fatal set is {hwerr}: with it, -r would never restart after an uncaught
        // exception (core), the failure a Java command has; so -r without -f makes it {core, hwerr}
        int fatal = o.has("f") ? events(o.last("f"), 'f', true)
                : o.has("r") ? Bits.of(EventType.CORE) | Bits.of(EventType.HWERR) : Bits.of(EventType.HWERR);
        Lifetime life = Lifetime.CONTRACT;
        if (o.has("l")) {
            try {
                life = Lifetime.valueOf(o.last("l").toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw CliError.usage("invalid lifetime '" + o.last("l") + "' (known: contract, child, none)");
            }
        }
        int restarts = o.has("r") ? (int) Options.number(o.last("r"), "count", 0, Integer.MAX_VALUE) : -1;
        boolean transfer = o.has("t");
        // ctrun(1)'s rules, in its order.
        if (life == Lifetime.NONE && (params & Bits.of(Param.NOORPHAN)) != 0)
            throw CliError.usage("cannot use option 'noorphan' with lifetime 'none'");
        if (life != Lifetime.CONTRACT && restarts >= 0)
            throw CliError.usage("cannot restart with lifetime '" + life.name().toLowerCase(Locale.ROOT) + "'");
        if ((params & Bits.of(Param.PGRPONLY)) != 0 && restarts >= 0)
            throw CliError.usage("cannot restart with option 'pgrponly'");
        if (transfer && restarts < 0) throw CliError.usage("cannot transfer when not restarting");
        int critical = (params & Bits.of(Param.PGRPONLY)) != 0 ? Bits.of(EventType.EMPTY)
                : crit | fatal | Bits.of(EventType.EMPTY);

        List<String> cp = o.all("-cp").isEmpty() ? o.all("-classpath").isEmpty() ? o.all("--class-path")
                : o.all("-classpath") : o.all("-cp");
        List<java.nio.file.Path> classPath = cp.isEmpty() ? List.of() : Command.parseClassPath(cp.getLast());
        List<String> rest = o.operands;
        Command command;
        if (!rest.isEmpty() && rest.getFirst().equals("-jar")) {
            if (rest.size() < 2) throw CliError.usage("-jar needs a jar file");
            command = new Command(null, java.nio.file.Path.of(rest.get(1)), classPath,
                    rest.subList(2, rest.size()).toArray(String[]::new));
        } else {
            if (rest.isEmpty()) throw CliError.usage("no command given");
            command = new Command(rest.getFirst(), null, classPath, rest.subList(1, rest.size()).toArray(String[]::new));
        }
        return new Plan(informative, critical, fatal, params, life, restarts, transfer, o.last("F"), o.last("A"),
                o.has("v") || o.has("V"), o.has("V"), command);
    }

    private static int execute(Plan plan, PrintStream err) throws InterruptedException {
        String me = "ctrun(" + ProcessHandle.current().pid() + "): ";
        ContractTemplate template = ContractTemplate.process();
        try {
            template.params(Bits.paramSet(plan.params).toArray(Param[]::new));
            template.informative(Bits.eventSet(plan.informative));
            template.fatal(Bits.eventSet(plan.fatal));
            template.critical(Bits.eventSet(plan.critical));
            if (plan.fmri != null) template.serviceIdentity(plan.fmri);
            if (plan.aux != null) template.creatorAux(plan.aux);
        } catch (RuntimeException e) {
            throw CliError.fatal("cannot set the terms: " + e.getMessage());
        }
        boolean agent = agentLoaded();
        if (!agent) err.println(me + "warning: the jcontract agent is not loaded; only the command's main thread "
                + "is in the contract (start the JVM with -javaagent:jcontract-agent.jar)");
        int restartsDone = 0;
        try (EventListener owner = Contracts.ownerEvents()) {
            for (;;) {
                MethodHandle main;
                try {
                    main = plan.command.load();
                } catch (Command.LoadError e) {
                    err.println("ctrun: exec failed: " + e.getMessage());
                    return e.status;
                }
                int[] status = {0};
                Thread child;
                Contract contract;
                try (var active = template.activate()) {
                    Runnable body = () -> {
                        try {
                            main.invokeExact();
                        } catch (Throwable t) {
                            status[0] = t instanceof VirtualMachineError ? Command.BAD_CHILD : 1;
                            sneakyThrow(t);     // on to the uncaught exception handler, and the contract's CORE/HWERR
                        }
                    };
                    Thread.Builder builder = Thread.ofPlatform().name("main");
                    child = agent ? builder.start(body) : ContractThreads.start(builder, body);
                    contract = Contracts.latest();
                } catch (RuntimeException e) {
                    throw CliError.fatal("cannot start the command in a new contract: " + e);
                }
                if (plan.transfer) template.noTransfer();
                if (plan.verbose) err.println(me + "created contract id " + contract.id() + " for " + plan.command.describe());

                if (plan.lifetime == Lifetime.NONE) {
                    contract.abandon();
                    return KEEP_RUNNING;
                }
                if (plan.lifetime == Lifetime.CHILD) {
                    child.join();
                    contract.abandon();
                    return status[0];
                }
                EventType fault = awaitEmpty(plan, owner, contract, err, me);
                child.join();
                boolean again = fault != null && (plan.restarts == 0 || restartsDone < plan.restarts);
                if (!again) {
                    contract.abandon();
                    return status[0];
                }
                restartsDone++;
                if (plan.verbose) err.println(me + "failure (" + fault.name().toLowerCase(Locale.ROOT)
                        + ") in contract " + contract.id() + ", restarting command (restart " + restartsDone + ")");
                if (plan.transfer) {
                    // the new contract takes over what the failed one inherited; the old one dies at the transfer
                    template.transfer(contract);
                } else {
                    contract.abandon();
                }
            }
        }
    }

    /** Reads the owner queue until {@code contract} is empty; returns the fatal event that came first, if any. */
    private static EventType awaitEmpty(Plan plan, EventListener owner, Contract contract, PrintStream err, String me)
            throws InterruptedException {
        EventType fault = null;
        for (;;) {
            ContractEvent e;
            try {
                e = plan.verbose ? owner.take(Duration.ofHours(1)) : owner.takeCritical(Duration.ofHours(1));
            } catch (TimeoutException quiet) {
                continue;
            }
            if (plan.verbose) {
                err.println(me + "event from contract " + e.contractId() + ": " + (e.critical() ? "crit " : "info ")
                        + e.type().name().toLowerCase(Locale.ROOT) + ": " + EventData.of(e, false).getSummary());
                if (plan.details) for (String d : EventData.of(e, false).getDetails()) err.println(me + "    " + d);
            }
            if (e.contractId() != contract.id() || !e.critical()) continue;
            try {
                contract.ack(e.id());
            } catch (NoSuchEventException alreadyAcked) {
                // acknowledged already (read twice through verbose and critical paths)
            }
            if ((Bits.of(e.type()) & plan.fatal) != 0 && (plan.params & Bits.of(Param.PGRPONLY)) == 0 && fault == null) {
                fault = e.type();
                if (plan.verbose) err.println(me + "fatal \"" + e.type().name().toLowerCase(Locale.ROOT)
                        + "\" event from contract " + contract.id());
            }
            if (e.type() == EventType.EMPTY) return fault;
        }
    }

    private static int events(String list, char option, boolean fatal) {
        int bits = 0;
        List<String> names = Options.items(List.of(list));
        if (names.equals(List.of("none"))) return 0;
        for (String n : names) {
            if (n.equalsIgnoreCase("none"))
                throw CliError.usage("'none' in -" + option + " cannot be combined with events: give none alone, or only events");
            EventType t;
            try {
                t = EventType.valueOf(n.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw CliError.usage("unrecognized event '" + n + "' in -" + option + " (known: "
                        + (fatal ? "core, signal, hwerr" : "core, signal, hwerr, empty, fork, exit") + ", or none)");
            }
            if (fatal && (Bits.of(t) & Bits.FATAL_BITS) == 0)
                throw CliError.usage("event '" + n + "' cannot be fatal (only core, signal, hwerr)");
            bits |= Bits.of(t);
        }
        return bits;
    }

    private static int params(String list) {
        List<String> names = Options.items(List.of(list));
        if (names.equals(List.of("none"))) return 0;
        int bits = 0;
        for (String n : names) {
            if (n.equalsIgnoreCase("none"))
                throw CliError.usage("'none' in -o cannot be combined with parameters: give none alone, or only parameters");
            Param p = Arrays.stream(new Param[] {Param.NOORPHAN, Param.PGRPONLY, Param.REGENT, Param.INHERIT})
                    .filter(x -> x.name().equalsIgnoreCase(n)).findFirst()
                    .orElseThrow(() -> CliError.usage("unrecognized option '" + n + "' in -o (known: noorphan, "
                            + "pgrponly, regent, inherit, or none)"));
            bits |= Bits.of(p);
        }
        return bits;
    }

    /** Whether the agent is installed in this JVM (on either loading path). */
    static boolean agentLoaded() {
        return System.getProperty(io.jcontract.agent.JContractAgent.INSTALLED_PROPERTY) != null;
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> void sneakyThrow(Throwable t) throws T {
        throw (T) t;
    }
}
