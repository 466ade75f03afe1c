package io.jcontract.management;

import java.lang.management.ManagementFactory;
import java.util.Map;

import javax.management.InstanceAlreadyExistsException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * The contract table as a platform MXBean, {@value #OBJECT_NAME}: what
 * {@code ctstat} shows, and the two controls an operator needs.
 *
 * <p>Reading needs no privilege (as {@code ct_status}). {@link #kill} and
 * {@link #abandon} act as the system, without the holder's handle: they
 * are allowed only when the calling thread's credential is fully
 * privileged (a JMX connector thread, which jcontract did not start, is;
 * a thread that dropped a privilege is not) and otherwise fail with
 * {@link io.jcontract.ContractPermissionException} ({@code EPERM}); the
 * root contract can be neither ({@code EINVAL}). Who may reach the
 * MBean server remotely is the JMX connector's business (authentication,
 * access file). Errors are jcontract's exceptions (a remote client needs
 * jcontract-core on its class path to see them as such).
 *
 * <p>Nothing is registered on class loading: call {@link #register()}.
 */
public interface ContractsMXBean {

    /** The object name. */
    String OBJECT_NAME = "io.jcontract:type=Contracts";

    /**
     * Registers the MXBean with the platform MBean server, once: later calls
     * (and concurrent ones) do nothing.
     *
     * @return its object name
     */
    static ObjectName register() {
        ObjectName name = objectName();
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        if (server.isRegistered(name)) return name;
        if (System.getProperty(PlatformRegistration.MARKER_PROPERTY) == null)
            System.setProperty(PlatformRegistration.MARKER_PROPERTY, "registered");
        try {
            server.registerMBean(ContractsMBeanImpl.standardMBean(), name);
        } catch (InstanceAlreadyExistsException raced) {
            // another thread registered it first
        } catch (JMException e) {
            throw new IllegalStateException("cannot register " + OBJECT_NAME, e);
        }
        return name;
    }

    /** {@link #OBJECT_NAME} as an {@link ObjectName}. */
    static ObjectName objectName() {
        try {
            return new ObjectName(OBJECT_NAME);
        } catch (MalformedObjectNameException e) {
            throw new AssertionError(e);
        }
    }

    // ------------------------------------------------------------------ attributes

    /** Ids of the live contracts, ascending (the root contract, 1, included). */
    int[] getContractIds();

    /** Number of live contracts, the root included. */
    int getContractCount();

    /** Live contracts by state: OWNED (the root included), INHERITED, ORPHAN. */
    Map<String, Integer> getContractsByState();

    /** Running members of all contracts (threads and running tasks; the root's threads are not counted). */
    long getMembers();

    /** Pooled tasks handed off and not started yet. */
    long getPendingTasks();

    /** The table, one row per live contract, ascending by id ({@code ctstat}). */
    ContractRow[] getContracts();

    /** Watches open now ({@link #openWatch}); for leak checks. */
    int getWatches();

    // ------------------------------------------------------------------ operations

    /**
     * Status of a live contract ({@code ctstat -v}).
     *
     * @param detail COMMON, FIXED or ALL (any case)
     * @throws io.jcontract.NoSuchContractException if no live contract has that id
     * @throws io.jcontract.InvalidArgumentException for an unknown detail
     */
    ContractInfo status(int id, String detail);

    /**
     * Status of every live contract at {@code detail} ({@code ctstat}, {@code ctstat -v}); with
     * {@code includeDead}, also the dead contracts still referenced that an earlier listing saw
     * ({@code ctstat -a}).
     */
    ContractInfo[] table(String detail, boolean includeDead);

    /**
     * Status of contract {@code id}, live or dead and still referenced ({@code ctstat -i}).
     *
     * @throws io.jcontract.NoSuchContractException if there is no such contract
     */
    ContractInfo statusAny(int id, String detail);

    /**
     * Opens a watch ({@code ctwatch}): a cursor over the events of the contracts
     * {@code ids}, or of every contract if {@code ids} is empty, read with
     * {@link #pollWatch} and released with {@link #closeWatch}. A watch not
     * polled for {@code jcontract.watch.idleMillis} (default 60 s) is closed.
     *
     * @param reliable keep informative events until read ({@code ctwatch -r}; needs {@code contract_event})
     * @param fromHead report the events still queued too ({@code ctwatch -f}), not only those to come
     * @return the watch id
     * @throws io.jcontract.NoSuchContractException if an id names no live contract
     * @throws io.jcontract.ContractPermissionException if the caller may not observe a contract, or
     *         asks for a reliable watch without {@code contract_event}
     * @throws IllegalStateException if too many watches are open
     */
    long openWatch(int[] ids, boolean reliable, boolean fromHead);

    /**
     * Reads up to {@code max} events of watch {@code watchId}, waiting up to
     * {@code timeoutMillis} (capped at half the idle timeout) for the first.
     *
     * @throws io.jcontract.InvalidArgumentException if the watch is not open (closed or reaped)
     */
    WatchBatch pollWatch(long watchId, int max, long timeoutMillis) throws InterruptedException;

    /** Closes watch {@code watchId}, releasing its listeners. */
    void closeWatch(long watchId);

    /**
     * Kills contract {@code id} as the system: every member is marked and
     * interrupted, queued tasks are cancelled, registered resources closed.
     *
     * @throws io.jcontract.ContractPermissionException unless the caller is fully privileged
     */
    void kill(int id);

    /** Kills contract {@code id} as {@link #kill} does, then waits up to {@code timeoutMillis} for it to empty. */
    KillData killAndAwait(int id, long timeoutMillis) throws InterruptedException;

    /**
     * Abandons contract {@code id} in place of its holder (or regent): an
     * empty contract dies, one with members becomes an orphan (after a kill,
     * with NOORPHAN). The holder's handle no longer controls it.
     *
     * @throws io.jcontract.ContractPermissionException unless the caller is fully privileged
     *         ({@code EPERM}), or if nobody holds it ({@code EACCES})
     */
    void abandon(int id);
}
