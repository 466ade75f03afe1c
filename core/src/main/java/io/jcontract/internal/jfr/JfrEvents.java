package io.jcontract.internal.jfr;

/**
 * Emits jcontract's JFR events ({@code io.jcontract.Fork}, {@code Exit},
 * {@code Empty}, {@code Kill}, {@code Core}, {@code HwErr}, {@code Signal};
 * category "jcontract"). The restarter's {@code Restart} and {@code Maintenance}
 * are its own (jcontract-restarter's {@code RestarterJfr}).
 *
 * <h2>Theory of operation</h2>
 * Each method starts with one check, {@code AVAILABLE && On.X.isEnabled()},
 * on a static event instance that is never committed: an event class's
 * {@code isEnabled()} only reads its static configuration, which JFR
 * installs when a recording enables the type. So with JFR off (or the
 * type disabled) a call costs a constant, a static field read and a
 * branch, and allocates nothing; only then is an event object made,
 * filled and committed. {@code AVAILABLE} keeps the model working on a
 * runtime without the {@code jdk.jfr} module: {@link On} (the only class
 * that touches {@code jdk.jfr}) is then never loaded.
 *
 * <p>Called by the model with a contract lock held (commit takes no lock
 * of the model's).
 */
public final class JfrEvents {
    private static final boolean AVAILABLE = ModuleLayer.boot().findModule("jdk.jfr").isPresent();

    private JfrEvents() {
    }

    public static void fork(int contractId, long member, long parent) {
        if (AVAILABLE && On.FORK.isEnabled()) On.fork(contractId, member, parent);
    }

    public static void exit(int contractId, long member, int status, Throwable cause) {
        if (AVAILABLE && On.EXIT.isEnabled()) On.exit(contractId, member, status, cause);
    }

    public static void empty(int contractId, long lastMember) {
        if (AVAILABLE && On.EMPTY.isEnabled()) On.empty(contractId, lastMember);
    }

    public static void kill(int contractId, long nanos, int stragglers, boolean empty) {
        if (AVAILABLE && On.KILL.isEnabled()) On.kill(contractId, nanos, stragglers, empty);
    }

    public static void core(int contractId, long member, Throwable cause) {
        if (AVAILABLE && On.CORE.isEnabled()) On.core(contractId, member, cause);
    }

    public static void hwErr(int contractId, long member, Throwable error) {
        if (AVAILABLE && On.HWERR.isEnabled()) On.hwErr(contractId, member, error);
    }

    public static void signal(int contractId, long member, long sender, int senderContract, Throwable cause) {
        if (AVAILABLE && On.SIGNAL.isEnabled()) On.signal(contractId, member, sender, senderContract, cause);
    }

    /** The classes that touch {@code jdk.jfr}: loaded on the first call when the module is present. */
    private static final class On {
        static final Events.Fork FORK = new Events.Fork();
        static final Events.Exit EXIT = new Events.Exit();
        static final Events.Empty EMPTY = new Events.Empty();
        static final Events.Kill KILL = new Events.Kill();
        static final Events.Core CORE = new Events.Core();
        static final Events.HwErr HWERR = new Events.HwErr();
        static final Events.Signal SIGNAL = new Events.Signal();

        static void fork(int contractId, long member, long parent) {
            Events.Fork e = new Events.Fork();
            e.contractId = contractId;
            e.member = member;
            e.parent = parent;
            e.commit();
        }

        static void exit(int contractId, long member, int status, Throwable cause) {
            Events.Exit e = new Events.Exit();
            e.contractId = contractId;
            e.member = member;
            e.status = status;
            e.exitStatus = io.jcontract.ExitStatus.of(status).name();
            e.cause = cause == null ? null : cause.getClass().getName();
            e.commit();
        }

        static void empty(int contractId, long lastMember) {
            Events.Empty e = new Events.Empty();
            e.contractId = contractId;
            e.member = lastMember;
            e.commit();
        }

        static void kill(int contractId, long nanos, int stragglers, boolean empty) {
            Events.Kill e = new Events.Kill();
            e.contractId = contractId;
            e.killDuration = nanos;
            e.stragglers = stragglers;
            e.empty = empty;
            e.commit();
        }

        static void core(int contractId, long member, Throwable cause) {
            Events.Core e = new Events.Core();
            e.contractId = contractId;
            e.member = member;
            e.throwable = cause.getClass().getName();
            e.message = cause.getMessage();
            e.commit();
        }

        static void hwErr(int contractId, long member, Throwable error) {
            Events.HwErr e = new Events.HwErr();
            e.contractId = contractId;
            e.member = member;
            e.error = error.getClass().getName();
            e.message = error.getMessage();
            e.commit();
        }

        static void signal(int contractId, long member, long sender, int senderContract, Throwable cause) {
            Events.Signal e = new Events.Signal();
            e.contractId = contractId;
            e.member = member;
            e.sender = sender;
            e.senderContract = senderContract;
            e.throwable = cause == null ? null : cause.getClass().getName();
            e.commit();
        }
    }
}
