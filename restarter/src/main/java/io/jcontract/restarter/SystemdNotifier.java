package io.jcontract.restarter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * systemd's notify protocol ({@code sd_notify(3)}) for a {@link Restarter},
 * when the JVM runs as a {@code Type=notify} unit ({@code NOTIFY_SOCKET} set):
 * <ul>
 * <li>{@code READY=1} once, the first time {@link Health#ready()} holds
 *     (every essential service ONLINE), with the first {@code STATUS=};</li>
 * <li>{@code STATUS=<summary>} whenever {@link Health#summary()} changes;</li>
 * <li>{@code WATCHDOG=1} every half of {@code WATCHDOG_USEC} while the
 *     restarter is live (not when {@code WATCHDOG_PID} names another process);
 *     a stuck restarter loop stops it, and systemd's watchdog takes over;</li>
 * <li>{@code STOPPING=1} when the restarter is stopped, or the JVM shuts down.</li>
 * </ul>
 *
 * <h2>Theory of operation</h2>
 * One daemon thread per notifier reads {@link Restarter#health()} every
 * {@value #POLL_MILLIS} ms (or sooner for the watchdog), compares it with
 * what it sent last, and sends datagrams; it is the only sender except the
 * JVM shutdown hook, which sends STOPPING=1 if the thread has not: both send
 * under the notifier's monitor, a leaf lock. It never calls the restarter
 * thread or user code. Send failures are reported once on standard error and
 * the notifier goes on (systemd may have gone away; that is its business).
 *
 * <p>{@code NOTIFY_SOCKET} is a Unix-domain <em>datagram</em> socket, which
 * the JDK cannot send to ({@code DatagramChannel} has no UNIX family in
 * JDK 21 to 25), so the socket is driven through the Foreign Function and
 * Memory API on JDK 22 and later (see {@code io.jcontract.probes.UnixDatagram}; run with
 * {@code --enable-native-access=ALL-UNNAMED} to avoid the JDK's warning). On
 * JDK 21 the notifier prints one line saying that it cannot notify and does
 * nothing else: running {@code systemd-notify} instead would send from
 * another process, which systemd drops unless the unit has
 * {@code NotifyAccess=all}, and its watchdog would then prove nothing about
 * this JVM.
 */
public final class SystemdNotifier implements AutoCloseable {
    static final long POLL_MILLIS = 100;
    /** The transport, loaded by name: see {@link #transport()}. */
    static final String SOCKET_CLASS = "io.jcontract.probes.UnixDatagram";

    /** Where the notifier's datagrams go: a Unix datagram socket. Not for applications. */
    public interface Socket extends AutoCloseable {
        /** Sends one datagram. */
        void send(byte[] message) throws IOException;

        @Override
        void close();
    }

    private final Restarter restarter;
    private final String socketName;
    private final long watchdogNanos;   // interval between WATCHDOG=1, or 0 for none
    private final Socket socket;
    private final Thread thread;
    private final Thread shutdownHook;
    private volatile boolean closed;

    // guarded by this
    private boolean readySent, stoppingSent, failureReported;
    private String lastStatus;

    private SystemdNotifier(Restarter restarter, String socketName, long watchdogNanos, Socket socket) {
        this.restarter = restarter;
        this.socketName = socketName;
        this.watchdogNanos = watchdogNanos;
        this.socket = socket;
        this.thread = Thread.ofPlatform().daemon().name(restarter.name() + "-systemd-notify").unstarted(this::run);
        this.shutdownHook = Thread.ofPlatform().name(restarter.name() + "-systemd-stopping").unstarted(this::stopping);
    }

    /**
     * Starts notifying systemd about {@code restarter} if the process
     * environment names a {@code NOTIFY_SOCKET}; {@link Restarter#start()}
     * calls it unless {@link Restarter.Builder#systemdNotify(boolean) turned off}.
     *
     * @return the notifier, or null if there is no socket to notify (or it cannot be used; said on stderr)
     */
    public static SystemdNotifier startIfNotifySocket(Restarter restarter) {
        return start(restarter, System::getenv);
    }

    /** {@link #startIfNotifySocket} with the environment looked up through {@code env} (for tests). */
    static SystemdNotifier start(Restarter restarter, Function<String, String> env) {
        Objects.requireNonNull(restarter, "restarter");
        String socketName = env.apply("NOTIFY_SOCKET");
        if (socketName == null || socketName.isEmpty()) return null;
        String why = transportUnsupported();
        if (why != null) {
            System.err.println("jcontract restarter " + restarter.name() + ": NOTIFY_SOCKET is set but " + why
                    + "; systemd is not notified");
            return null;
        }
        long watchdog = watchdogNanos(env);
        Socket socket;
        try {
            socket = (Socket) transport().getMethod("open", String.class).invoke(null, socketName);
        } catch (java.lang.reflect.InvocationTargetException e) {
            System.err.println("jcontract restarter " + restarter.name() + ": cannot notify systemd at "
                    + socketName + ": " + e.getCause().getMessage());
            return null;
        } catch (ReflectiveOperationException e) {
            System.err.println("jcontract restarter " + restarter.name() + ": cannot notify systemd: " + e);
            return null;
        }
        SystemdNotifier n = new SystemdNotifier(restarter, socketName, watchdog, socket);
        Runtime.getRuntime().addShutdownHook(n.shutdownHook);
        n.thread.start();
        return n;
    }

    /**
     * The socket class, by name, from the system class loader when this
     * class is on the bootstrap path (under the agent): that path does not
     * read multi-release jars, the class path does, so the JDK 22+ version
     * (FFM) is found there. Elsewhere from this class's own loader.
     */
    static Class<?> transport() throws ClassNotFoundException {
        ClassLoader own = SystemdNotifier.class.getClassLoader();
        return Class.forName(SOCKET_CLASS, true, own != null ? own : ClassLoader.getSystemClassLoader());
    }

    /** Why this JVM cannot notify systemd, or null if it can. */
    static String transportUnsupported() {
        try {
            return (String) transport().getMethod("unsupported").invoke(null);
        } catch (ReflectiveOperationException | LinkageError e) {
            return "its socket class " + SOCKET_CLASS + " cannot be loaded (" + e + ")";
        }
    }

    /** Half of {@code WATCHDOG_USEC} in nanoseconds, or 0 if there is no watchdog for this process. */
    static long watchdogNanos(Function<String, String> env) {
        String usec = env.apply("WATCHDOG_USEC");
        if (usec == null || usec.isEmpty()) return 0;
        String pid = env.apply("WATCHDOG_PID");
        if (pid != null && !pid.isEmpty() && !pid.equals(Long.toString(ProcessHandle.current().pid()))) return 0;
        try {
            long u = Long.parseLong(usec.trim());
            return u <= 0 ? 0 : TimeUnit.MICROSECONDS.toNanos(u) / 2;
        } catch (NumberFormatException e) {
            System.err.println("jcontract restarter: WATCHDOG_USEC=" + usec + " is not a number; no watchdog");
            return 0;
        }
    }

    /** The socket it notifies, as {@code NOTIFY_SOCKET} named it. */
    public String socket() {
        return socketName;
    }

    private void run() {
        long nextWatchdog = System.nanoTime();
        while (!closed) {
            Health h = restarter.health();
            if (restarter.stopRequested()) {
                stopping();
                break;
            }
            StringBuilder msg = new StringBuilder();
            synchronized (this) {
                if (!readySent && h.ready()) {
                    readySent = true;
                    msg.append("READY=1\n");
                }
                String status = h.summary();
                if (!status.equals(lastStatus)) {
                    lastStatus = status;
                    msg.append("STATUS=").append(status).append('\n');
                }
            }
            long now = System.nanoTime();
            if (watchdogNanos > 0 && h.live() && now - nextWatchdog >= 0) {
                msg.append("WATCHDOG=1\n");
                nextWatchdog = now + watchdogNanos;
            }
            if (!msg.isEmpty()) send(msg.toString());
            long wait = TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS);
            if (watchdogNanos > 0) wait = Math.min(wait, Math.max(0, nextWatchdog - System.nanoTime()));
            LockSupport.parkNanos(this, Math.max(wait, 1_000_000));
            // a kill of the contract this thread was started in (the caller of Restarter.start()'s):
            // end with it, so systemd's watchdog notices, rather than spin on the interrupt
            if (Thread.currentThread().isInterrupted()) break;
        }
    }

    /** Sends STOPPING=1 once (from the thread when the restarter stops, or from the shutdown hook). */
    private void stopping() {
        synchronized (this) {
            if (stoppingSent) return;
            stoppingSent = true;
        }
        send("STOPPING=1\nSTATUS=stopping\n");
    }

    private synchronized void send(String message) {
        try {
            socket.send(message.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            if (!failureReported) {
                failureReported = true;
                System.err.println("jcontract restarter " + restarter.name() + ": cannot notify systemd at "
                        + socketName + ": " + e.getMessage());
            }
        }
    }

    /**
     * Sends STOPPING=1 if not sent yet, ends the thread and closes the socket.
     * {@link Restarter#stop} has the same effect on the notifier it started.
     */
    @Override
    public void close() throws InterruptedException {
        stopping();
        closed = true;
        LockSupport.unpark(thread);
        thread.join();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is shutting down: the hook runs or ran, and found STOPPING=1 sent
        }
        synchronized (this) {
            socket.close();
        }
    }
}
