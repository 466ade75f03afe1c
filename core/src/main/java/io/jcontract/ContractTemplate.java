package io.jcontract;

import io.jcontract.internal.Bits;
import io.jcontract.internal.ContractTable;
import io.jcontract.internal.Handles;
import io.jcontract.internal.Templates;
import io.jcontract.internal.Terms;

import java.util.Objects;
import java.util.Set;

/**
 * The terms of contracts to come (illumos {@code ctmpl_process_t}): a
 * mutable builder. Each edit is atomic with respect to {@link #activate()}
 * on any thread (as illumos' {@code ctmpl_lock} makes each {@code ct_tmpl_set}
 * atomic): an activation copies the terms before or after an edit, never
 * in the middle of one, even for an edit that moves events between sets. {@link #activate() Activating} it copies
 * the terms onto the calling thread; from then on every thread the caller
 * starts, and every task it hands to a {@linkplain ContractExecutors wrapped
 * executor}, is the first member of a new contract that the caller holds.
 * Later edits to the template do not change the active copy.
 *
 * <p>Defaults (illumos' user default): informative {CORE, SIGNAL}, critical
 * {EMPTY, HWERR}, fatal {HWERR}, no parameters, cookie 0, no transfer,
 * service identity inherited from the creator's contract, empty creator aux.
 *
 * <p>Rules, each enforced when the term is set:
 * <ul>
 * <li>Event sets contain only event types; the fatal set only CORE, SIGNAL
 *     and HWERR ({@link InvalidArgumentException}). No numeric term other than
 *     the cookie is wider than 32 bits.</li>
 * <li>Growing the critical set beyond fatal ∪ {EMPTY}, or beyond {EMPTY} with
 *     {@link Param#PGRPONLY}, needs the {@code contract_event} privilege
 *     ({@link ContractPermissionException} {@code EPERM}); shrinking it is
 *     always allowed.</li>
 * <li>Changing the parameters or the fatal set without that privilege moves
 *     the critical events no longer allowed to the informative set (what
 *     illumos' comment intends; its code has a precedence slip).</li>
 * <li>The transfer term names a contract the caller holds
 *     ({@link ContractPermissionException} {@code EACCES}), that exists
 *     ({@link NoSuchContractException}) and has no members
 *     ({@link NotEmptyException}).</li>
 * <li>A service identity needs the {@code contract_identity} privilege.</li>
 * </ul>
 * Until credentials exist every thread is privileged, so the privilege
 * rules never deny; they are checked all the same.
 */
public final class ContractTemplate {

    /** The numeric terms, for {@link #set(Term, long)} (as {@code ct_tmpl_set_*} and {@code ctrun(1)} take them). */
    enum Term { INFORMATIVE, CRITICAL, FATAL, PARAMS, COOKIE, TRANSFER }

    private static final int SAFE = Bits.of(EventType.EMPTY);

    private int informative = Terms.DEFAULT.informative();
    private int critical = Terms.DEFAULT.critical();
    private int fatal = Terms.DEFAULT.fatal();
    private int params;
    private long cookie;
    private int transfer;
    private String identity;
    private String aux = "";

    private ContractTemplate() {
    }

    /** A new process contract template with the default terms. */
    public static ContractTemplate process() {
        return new ContractTemplate();
    }

    /** Sets the informative set. */
    public ContractTemplate informative(EventType... events) {
        return set(Term.INFORMATIVE, Bits.events(events));
    }

    /** Sets the informative set. */
    public ContractTemplate informative(Set<EventType> events) {
        return set(Term.INFORMATIVE, Bits.events(events));
    }

    /** Sets the critical set. */
    public ContractTemplate critical(EventType... events) {
        return set(Term.CRITICAL, Bits.events(events));
    }

    /** Sets the critical set. */
    public ContractTemplate critical(Set<EventType> events) {
        return set(Term.CRITICAL, Bits.events(events));
    }

    /** Sets the fatal set. */
    public ContractTemplate fatal(EventType... events) {
        return set(Term.FATAL, Bits.events(events));
    }

    /** Sets the fatal set. */
    public ContractTemplate fatal(Set<EventType> events) {
        return set(Term.FATAL, Bits.events(events));
    }

    /** Sets the parameters. */
    public ContractTemplate params(Param... params) {
        return set(Term.PARAMS, Bits.params(params));
    }

    /** Sets the cookie, shown in status and given back to the holder. */
    public ContractTemplate cookie(long cookie) {
        return set(Term.COOKIE, cookie);
    }

    /** Sets the transfer term to the contract {@code c}, which the caller must hold, empty. */
    public ContractTemplate transfer(ContractView c) {
        if (c == null) throw new InvalidArgumentException("contract to transfer is null (noTransfer() clears the term)");
        return set(Term.TRANSFER, c.id());
    }

    /** Clears the transfer term: contracts from this template take over no contract. */
    public ContractTemplate noTransfer() {
        return set(Term.TRANSFER, 0);
    }

    /** Sets the service identity (FMRI) of contracts created from this template. */
    public synchronized ContractTemplate serviceIdentity(String fmri) {
        if (fmri == null || fmri.isBlank()) throw new InvalidArgumentException("service identity is empty");
        if (!io.jcontract.internal.Credentials.hasContractIdentity())
            throw new ContractPermissionException(ContractError.EPERM,
                    "setting a service identity needs the contract_identity privilege");
        this.identity = fmri;
        return this;
    }

    /** Sets the creator aux, free text shown in status. */
    public synchronized ContractTemplate creatorAux(String aux) {
        this.aux = Objects.requireNonNull(aux, "creator aux");
        return this;
    }

    /**
     * Sets a numeric term as {@code ct_tmpl_set_*} does, with every rule
     * above; every public setter goes through it. Not public: the API speaks
     * in enum sets, and command-line tools convert with the kernel's bits.
     *
     * @throws InvalidArgumentException for a value outside the term's domain
     */
    synchronized ContractTemplate set(Term term, long value) {
        Objects.requireNonNull(term, "term");
        if (term != Term.COOKIE && (value & ~0xffff_ffffL) != 0)
            throw new InvalidArgumentException("term " + term + " = " + value + " is wider than 32 bits");
        int v = (int) value;
        switch (term) {
            case INFORMATIVE -> {
                Bits.eventSet(value);
                informative = v;
            }
            case CRITICAL -> {
                Bits.eventSet(value);
                if (excess(v) && !io.jcontract.internal.Credentials.hasContractEvent())
                    throw new ContractPermissionException(ContractError.EPERM, "critical set " + Bits.eventSet(v)
                            + " goes beyond fatal ∪ {EMPTY}" + ((params & Bits.of(Param.PGRPONLY)) != 0
                            ? " (with PGRPONLY only EMPTY)" : "") + ": needs the contract_event privilege");
                critical = v;
            }
            case FATAL -> {
                if ((value & ~Bits.FATAL_BITS) != 0)
                    throw new InvalidArgumentException("fatal set " + describe(value)
                            + " may hold only CORE, SIGNAL and HWERR");
                fatal = v;
                if (excess(critical) && !io.jcontract.internal.Credentials.hasContractEvent()) {
                    int allowed = SAFE | ((params & Bits.of(Param.PGRPONLY)) != 0 ? 0 : fatal);
                    informative |= critical & ~allowed;
                    critical &= allowed;
                }
            }
            case PARAMS -> {
                Bits.paramSet(value);
                params = v;
                if ((params & Bits.of(Param.PGRPONLY)) != 0 && excess(critical)
                        && !io.jcontract.internal.Credentials.hasContractEvent()) {
                    informative |= critical & ~SAFE;
                    critical &= SAFE;
                }
            }
            case COOKIE -> cookie = value;
            case TRANSFER -> transfer = value == 0 ? 0 : Templates.checkTransfer(v);
        }
        return this;
    }

    private boolean excess(int crit) {
        return (crit & ~(fatal | SAFE)) != 0
                || ((crit & ~SAFE) != 0 && (params & Bits.of(Param.PGRPONLY)) != 0);
    }

    private static String describe(long bits) {
        return "0x" + Long.toHexString(bits);
    }

    /** The informative set. */
    public synchronized Set<EventType> informativeSet() { return Bits.eventSet(informative); }

    /** The critical set. */
    public synchronized Set<EventType> criticalSet() { return Bits.eventSet(critical); }

    /** The fatal set. */
    public synchronized Set<EventType> fatalSet() { return Bits.eventSet(fatal); }

    /** The parameters. */
    public synchronized Set<Param> paramSet() { return Bits.paramSet(params); }

    /** The cookie. */
    public synchronized long cookie() { return cookie; }

    /** The id of the contract to transfer from, or 0. */
    public synchronized int transfer() { return transfer; }

    /** The service identity, or null to inherit the creator's. */
    public synchronized String serviceIdentity() { return identity; }

    /** The creator aux. */
    public synchronized String creatorAux() { return aux; }

    /**
     * Makes a copy of these terms the calling thread's active template until
     * the returned activation is closed, which restores what was active
     * before. The copy is also taken by the threads the caller starts when
     * the template has {@link Param#KEEP_EXEC}.
     *
     * @throws NoSuchContractException if the transfer term's contract died since it was set
     */
    public Activation activate() {
        Terms t;
        synchronized (this) {       // a copy of one state of the template, never half an edit
            t = Templates.terms(informative, critical, fatal, params, cookie, transfer, identity, aux);
        }
        return Templates.activate(t);
    }

    /**
     * Starts {@code body} on a thread made by {@code builder} as the first
     * member of a new contract with these terms, held by the caller, and
     * returns that contract's control handle: {@code activate()},
     * {@link ContractThreads#start}, {@link Contracts#latest()} in one call.
     * Works with or without the agent. The thread is found with
     * {@code status(StatusDetail.ALL).members()} if needed; the usual shape is
     * <pre>{@code
     * try (Contract c = terms.start(Thread.ofVirtual(), body)) {
     *     ... // c.events(), c.kill(), ...
     * }   // close: kill, wait for EMPTY, abandon
     * }</pre>
     *
     * @throws ContractKilledException if the caller is a member that has been killed
     * @throws ContractLimitException if the new contract would pass the limit
     * @throws NoSuchContractException if the transfer term's contract died since it was set
     */
    public Contract start(Thread.Builder builder, Runnable body) {
        Objects.requireNonNull(builder, "builder");
        Objects.requireNonNull(body, "body");
        try (Activation a = activate()) {
            return Handles.created(() -> ContractThreads.start(builder, body), "thread");
        }
    }

    /**
     * Hands {@code task} to {@code executor} as the first member of a new
     * contract with these terms, held by the caller, and returns its control
     * handle. The executor must make tasks members: a
     * {@linkplain ContractExecutors#wrap wrapped} one, or any JDK pool when
     * the agent is loaded.
     *
     * @throws InvalidArgumentException if the hand-off created no contract
     *         (a plain executor without the agent, or one that ran the task inline
     *         in the caller's contract); a task that did run then ran outside any new contract
     * @throws java.util.concurrent.RejectedExecutionException as the executor throws it;
     *         no contract is left behind then
     */
    public Contract execute(java.util.concurrent.Executor executor, Runnable task) {
        Objects.requireNonNull(executor, "executor");
        Objects.requireNonNull(task, "task");
        try (Activation a = activate()) {
            return Handles.created(() -> executor.execute(task), "task");
        }
    }

    /** Clears the calling thread's active template (illumos {@code ct_tmpl_clear}). */
    public static void clear() {
        ContractTable.TABLE.current().clearActive();
    }

    /** Whether the calling thread has an active template. */
    public static boolean isActive() {
        return ContractTable.TABLE.current().hasActive();
    }

    /**
     * The calling thread's activation of a template: closing it restores the previous one.
     * Activations nest: close them in the reverse order they were made, as
     * try-with-resources does.
     */
    public interface Activation extends AutoCloseable {
        /**
         * Restores the template that was active before. Closing twice is a no-op.
         *
         * @throws IllegalStateException on another thread than the one that activated, or
         *         when an activation made later on the same thread is still open (closing
         *         out of order); nothing changes then
         */
        @Override
        void close();
    }
}
