package io.jcontract.agent.boot;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The one table of the JDK's thread creations: for every class of the JDK
 * that creates or starts threads, whether those threads are
 * <em>infrastructure</em> (JVM-wide, never members, never interrupted by a
 * kill, SEMANTICS Part 2) and how the agent recognises them, or why they are
 * not. {@code InfrastructureCoverageTest} scans the running JDK's modules and
 * fails on a thread-creating class this table does not list, and on a listed
 * class or method the JDK lacks: a JDK that adds a kind is named, not
 * captured.
 *
 * <h2>Theory of operation</h2>
 * Three rules make a thread infrastructure, each cheap enough for every
 * thread start:
 * <ul>
 *   <li>{@link Rule#THREAD_CLASS}: the thread's class (one string compare
 *       per listed class; {@code Class.getName()} is cached by the VM);</li>
 *   <li>{@link Rule#THREAD_GROUP}: a platform thread of the root ("system")
 *       thread group, where the JDK puts its own threads and where every
 *       thread started by a VM thread (attach listener, signal dispatcher)
 *       lands, or of a group the JDK made for its own threads;</li>
 *   <li>{@link Rule#INSIDE}: the thread starts, or a task is handed to a
 *       pool, while the starting thread is inside a listed JDK method (woven
 *       by {@code Sites} with an enter/leave pair). This is for JVM-wide
 *       threads and tasks that look like any other (the virtual-thread
 *       sub-pollers are plain virtual threads; the process reaper's tasks are
 *       plain Runnables on a plain pool).</li>
 * </ul>
 * The other rules only classify: {@link Rule#POOL_WORKER} (a pool's own
 * workers, which the bridge already never forks), {@link Rule#PER_USE}
 * (threads made for the caller's own work, which stay members) and
 * {@link Rule#VM} (started by the VM itself, never through Java code we see).
 * The table is immutable and built at class initialisation, before any hook
 * is live; {@link #test} reads only final arrays.
 */
public final class JdkInfrastructure {
    /** How the threads of one entry are recognised, or why they are not infrastructure. */
    public enum Rule { THREAD_CLASS, THREAD_GROUP, INSIDE, POOL_WORKER, PER_USE, VM }

    /**
     * One classified thread creation.
     *
     * @param site    the class that creates or starts the threads (internal name), the key the coverage scan uses
     * @param rule    how its threads are recognised (or not)
     * @param target  THREAD_CLASS: the thread class's binary name; THREAD_GROUP: the group's name ("system": the
     *                root group); INSIDE: {@code owner/Class.method} (alternatives {@code a|b}) to weave; otherwise
     *                a note
     * @param kind    what the threads are, for people
     * @param minJdk  the first feature release the site is known to exist in (the coverage check skips newer ones)
     */
    public record Entry(String site, Rule rule, String target, String kind, int minJdk) {
        /** INSIDE: the class to weave. */
        public String insideClass() {
            return target.substring(0, target.lastIndexOf('.'));
        }

        /** INSIDE: the method names to weave (any of). */
        public List<String> insideMethods() {
            return List.of(target.substring(target.lastIndexOf('.') + 1).split("\\|"));
        }
    }

    private static final String INNOCUOUS = "jdk.internal.misc.InnocuousThread";
    private static final String RUN_HOOKS = "java/lang/ApplicationShutdownHooks.runHooks";

    private static Entry e(String site, Rule rule, String target, String kind) {
        return new Entry(site, rule, target, kind, 21);
    }

    /** The table. Keep it grouped by module, one line per site. */
    public static final List<Entry> TABLE = List.of(
            // ---------------------------------------------------------------- java.base: infrastructure
            e("jdk/internal/misc/InnocuousThread", Rule.THREAD_CLASS, INNOCUOUS,
                    "InnocuousThread: Common-Cleaner, process reaper, MasterPoller, Read/Write-Poller, Keep-Alive-Timer, ..."),
            e("sun/nio/ch/Poller$Pollers", Rule.THREAD_CLASS, INNOCUOUS, "virtual-thread I/O master/read/write pollers"),
            e("sun/nio/ch/Poller$Pollers", Rule.INSIDE, "sun/nio/ch/Poller$Pollers.start",
                    "virtual-thread I/O sub-pollers (SubPoller-N, virtual threads)"),
            e("java/lang/VirtualThread", Rule.THREAD_CLASS, INNOCUOUS, "VirtualThread-unblocker"),
            new Entry("java/lang/VirtualThread$DelayedTaskSchedulers", Rule.THREAD_CLASS, INNOCUOUS,
                    "VirtualThread-unparker (the virtual-thread timer pools)", 25),
            new Entry("java/lang/VirtualThread$DelayedTaskSchedulers", Rule.INSIDE,
                    "java/lang/VirtualThread$DelayedTaskSchedulers.schedule",
                    "virtual-thread timeouts handed to the unparker pools", 25),
            e("java/lang/ProcessHandleImpl", Rule.THREAD_CLASS, INNOCUOUS, "process reaper threads"),
            e("java/lang/ProcessHandleImpl", Rule.INSIDE, "java/lang/ProcessHandleImpl.completion",
                    "process reaper tasks (one per started process, waiting for its exit)"),
            e("java/lang/ref/Reference", Rule.THREAD_CLASS, "java.lang.ref.Reference$ReferenceHandler", "Reference Handler"),
            e("java/lang/ref/Reference$ReferenceHandler", Rule.THREAD_CLASS, "java.lang.ref.Reference$ReferenceHandler",
                    "Reference Handler"),
            e("java/lang/ref/Finalizer", Rule.THREAD_CLASS, "java.lang.ref.Finalizer$FinalizerThread", "Finalizer"),
            e("java/lang/ref/Finalizer", Rule.THREAD_GROUP, "system", "Secondary finalizer (runFinalization)"),
            e("java/lang/ref/Finalizer$FinalizerThread", Rule.THREAD_CLASS, "java.lang.ref.Finalizer$FinalizerThread",
                    "Finalizer"),
            e("java/lang/ApplicationShutdownHooks", Rule.INSIDE, RUN_HOOKS,
                    "shutdown hooks, started by whichever thread calls System.exit"),
            new Entry("java/util/concurrent/DelayScheduler", Rule.THREAD_CLASS, "java.util.concurrent.DelayScheduler",
                    "ForkJoinPool's delay scheduler (the common pool's, the virtual-thread scheduler's)", 25),
            e("jdk/internal/logger/BootstrapLogger$BootstrapExecutors", Rule.THREAD_CLASS, INNOCUOUS,
                    "bootstrap logger's executor"),
            e("jdk/internal/misc/CDS", Rule.THREAD_GROUP, "system", "CDS dump output drainer (jcmd, attach listener)"),
            e("jdk/internal/misc/Signal", Rule.THREAD_GROUP, "system", "signal handlers (started by Signal Dispatcher)"),
            e("jdk/internal/ref/CleanerFactory$1", Rule.THREAD_CLASS, INNOCUOUS, "Common-Cleaner"),
            e("jdk/internal/ref/CleanerImpl", Rule.THREAD_CLASS, INNOCUOUS, "Cleaner-N of Cleaner.create()"),
            e("jdk/internal/ref/CleanerImpl$InnocuousThreadFactory", Rule.THREAD_CLASS, INNOCUOUS, "Cleaner-N"),
            e("sun/net/www/http/KeepAliveCache", Rule.THREAD_CLASS, INNOCUOUS, "Keep-Alive-Timer (HTTP URL connections)"),
            e("sun/net/www/http/KeepAliveStream", Rule.THREAD_CLASS, INNOCUOUS, "Keep-Alive-SocketCleaner"),
            e("sun/nio/ch/ThreadPool", Rule.THREAD_CLASS, INNOCUOUS, "default asynchronous channel group's threads"),
            e("sun/nio/fs/AbstractPoller", Rule.THREAD_CLASS, INNOCUOUS, "FileSystemWatchService poller"),
            e("sun/nio/fs/Cancellable", Rule.THREAD_CLASS, INNOCUOUS, "interruptible file system operations"),
            e("sun/security/provider/SeedGenerator$ThreadedSeedGenerator", Rule.THREAD_GROUP, "SeedGenerator ThreadGroup",
                    "SeedGenerator Thread"),
            // ---------------------------------------------------------------- java.base: pools' own workers
            e("java/util/concurrent/ForkJoinPool", Rule.POOL_WORKER, "java.util.concurrent.ForkJoinWorkerThread",
                    "ForkJoinPool workers: the common pool's, the virtual-thread scheduler's carriers, any pool's"),
            e("java/util/concurrent/ForkJoinWorkerThread", Rule.POOL_WORKER, "java.util.concurrent.ForkJoinWorkerThread",
                    "ForkJoinPool workers"),
            e("java/util/concurrent/ThreadPoolExecutor", Rule.POOL_WORKER, "addWorker", "ThreadPoolExecutor workers"),
            e("java/util/Timer", Rule.POOL_WORKER, "java.util.TimerThread", "Timer thread"),
            e("java/util/TimerThread", Rule.POOL_WORKER, "java.util.TimerThread", "Timer thread"),
            // ---------------------------------------------------------------- java.base: the caller's own threads
            e("java/lang/BaseVirtualThread", Rule.PER_USE, "", "every virtual thread"),
            e("java/lang/ThreadBuilders$PlatformThreadBuilder", Rule.PER_USE, "", "Thread.ofPlatform()"),
            e("java/lang/ThreadBuilders$PlatformThreadFactory", Rule.PER_USE, "", "Thread.ofPlatform().factory()"),
            e("java/lang/ThreadBuilders$VirtualThreadBuilder", Rule.PER_USE, "", "Thread.ofVirtual()"),
            e("java/util/concurrent/Executors", Rule.PER_USE, "", "newVirtualThreadPerTaskExecutor"),
            e("java/util/concurrent/Executors$DefaultThreadFactory", Rule.PER_USE, "", "Executors.defaultThreadFactory()"),
            e("java/util/concurrent/ThreadPerTaskExecutor", Rule.PER_USE, "", "thread-per-task executors"),
            e("java/util/concurrent/StructuredTaskScopeImpl$ConfigImpl", Rule.PER_USE, "", "StructuredTaskScope"),
            e("java/util/stream/Gatherers$1MapConcurrentTask", Rule.PER_USE, "", "Gatherers.mapConcurrent"),
            e("java/util/stream/Gatherers$3State", Rule.PER_USE, "", "Gatherers.mapConcurrent"),
            e("jdk/internal/misc/ThreadFlock", Rule.PER_USE, "", "thread flocks (StructuredTaskScope)"),
            e("jdk/internal/vm/SharedThreadContainer", Rule.PER_USE, "", "the container a pool starts its workers in"),
            e("jdk/internal/ref/CleanerImpl", Rule.PER_USE, "", "Cleaner.create(ThreadFactory): the caller's factory"),
            e("sun/nio/ch/AsynchronousChannelGroupImpl", Rule.PER_USE, "",
                    "a channel group's threads (the default group's are InnocuousThreads, see sun/nio/ch/ThreadPool)"),
            e("sun/security/ssl/TransportContext", Rule.PER_USE, "", "HandshakeCompletedListener notification"),
            // ---------------------------------------------------------------- VM threads (no Java start site)
            e("", Rule.VM, "Attach Listener", "attach listener (its children land in the system group)"),
            e("", Rule.VM, "Signal Dispatcher", "signal dispatcher (its children land in the system group)"),
            e("", Rule.VM, "Notification Thread", "JMX notification thread"),
            // ---------------------------------------------------------------- java.logging, java.prefs
            e("java/util/logging/LogManager$Cleaner", Rule.INSIDE, RUN_HOOKS, "LogManager's shutdown hook"),
            e("java/util/prefs/AbstractPreferences", Rule.THREAD_CLASS,
                    "java.util.prefs.AbstractPreferences$EventDispatchThread", "preferences event dispatch thread"),
            e("java/util/prefs/AbstractPreferences$EventDispatchThread", Rule.THREAD_CLASS,
                    "java.util.prefs.AbstractPreferences$EventDispatchThread", "preferences event dispatch thread"),
            e("java/util/prefs/FileSystemPreferences$2", Rule.INSIDE, RUN_HOOKS, "preferences' shutdown hook"),
            e("java/util/prefs/FileSystemPreferences", Rule.INSIDE, "java/util/prefs/FileSystemPreferences.addShutdownHook",
                    "preferences' JVM-wide sync timer task"),
            // ---------------------------------------------------------------- java.management, java.rmi (JMX/RMI)
            e("com/sun/jmx/remote/internal/ServerCommunicatorAdmin", Rule.THREAD_GROUP, "RMI Runtime",
                    "JMX server connection timeout (started on RMI connection threads)"),
            e("com/sun/jmx/remote/internal/ClientCommunicatorAdmin", Rule.PER_USE, "", "a JMX client's heartbeat"),
            e("com/sun/jmx/remote/internal/ClientNotifForwarder$LinearExecutor", Rule.PER_USE, "",
                    "a JMX client's notification forwarder"),
            e("javax/management/monitor/Monitor$DaemonThreadFactory", Rule.POOL_WORKER, "", "JMX monitors' scheduler"),
            e("sun/rmi/runtime/RuntimeUtil", Rule.THREAD_GROUP, "system", "RMI system threads"),
            e("sun/rmi/runtime/RuntimeUtil", Rule.THREAD_GROUP, "RMI Runtime", "RMI threads running remote calls"),
            e("sun/rmi/transport/DGCClient$EndpointEntry", Rule.THREAD_GROUP, "system", "RMI RenewClean"),
            e("sun/rmi/transport/GC$Daemon", Rule.THREAD_CLASS, INNOCUOUS, "RMI GC Daemon"),
            e("sun/rmi/transport/ObjectTable", Rule.THREAD_GROUP, "system", "RMI Reaper"),
            e("sun/rmi/transport/Target", Rule.THREAD_GROUP, "system", "RMI Unexport"),
            e("sun/rmi/transport/tcp/ConnectionAcceptor", Rule.THREAD_GROUP, "system", "RMI TCP Accept"),
            e("sun/rmi/transport/tcp/TCPEndpoint$FQDN", Rule.THREAD_GROUP, "system", "RMI FQDN lookup"),
            e("sun/rmi/transport/tcp/TCPTransport", Rule.THREAD_GROUP, "system", "RMI TCP Accept-N"),
            e("sun/rmi/transport/tcp/TCPChannel", Rule.INSIDE, "sun/rmi/transport/tcp/TCPChannel.free",
                    "RMI's connection reaper, scheduled on RMI's JVM-wide scheduler by a client call"),
            e("sun/rmi/transport/DGCImpl", Rule.INSIDE, "sun/rmi/transport/DGCImpl.dirty",
                    "RMI's DGC lease checker, scheduled on RMI's JVM-wide scheduler"),
            e("sun/rmi/transport/DGCAckHandler", Rule.INSIDE, "sun/rmi/transport/DGCAckHandler.startTimer",
                    "RMI's DGC acknowledgement timeout, on RMI's JVM-wide scheduler"),
            // ---------------------------------------------------------------- java.naming, java.net.http, java.xml
            e("com/sun/jndi/ldap/Connection", Rule.PER_USE, "", "an LDAP connection's reader"),
            e("com/sun/jndi/ldap/EventQueue", Rule.PER_USE, "", "an LDAP context's event queue"),
            e("com/sun/jndi/ldap/NamingEventNotifier", Rule.PER_USE, "", "an LDAP listener's notifier"),
            e("com/sun/jndi/ldap/LdapPoolManager", Rule.THREAD_CLASS, INNOCUOUS, "LDAP connection pool cleaner"),
            e("jdk/internal/net/http/HttpClientImpl$DefaultThreadFactory", Rule.PER_USE, "", "an HttpClient's executor"),
            e("jdk/internal/net/http/HttpClientImpl$SelectorManager", Rule.PER_USE, "", "an HttpClient's selector"),
            e("jdk/internal/net/http/common/SSLFlowDelegate$Monitor", Rule.THREAD_CLASS,
                    "jdk.internal.net.http.common.SSLFlowDelegate$Monitor", "HttpClient's JVM-wide SSL monitor"),
            e("com/sun/org/apache/xml/internal/utils/SafeThread", Rule.PER_USE, "", "XSLT incremental parse"),
            e("com/sun/org/apache/xml/internal/utils/ThreadControllerWrapper$ThreadController", Rule.PER_USE, "",
                    "XSLT incremental parse"),
            // ---------------------------------------------------------------- jdk.* modules
            e("sun/security/pkcs11/SunPKCS11", Rule.THREAD_CLASS, INNOCUOUS, "PKCS#11 poller and cleaner"),
            e("sun/net/httpserver/ServerImpl", Rule.PER_USE, "", "an HttpServer's dispatcher"),
            e("jdk/jfr/internal/JVMUpcalls", Rule.THREAD_GROUP, "system", "JFR Recorder Thread"),
            e("jdk/jfr/internal/PlatformRecorder", Rule.INSIDE, "jdk/jfr/internal/PlatformRecorder.startDiskMonitor",
                    "JFR Periodic Tasks (started by whichever thread starts JFR)"),
            e("jdk/jfr/internal/ShutdownHook", Rule.INSIDE, RUN_HOOKS, "JFR's shutdown hook"),
            e("jdk/jfr/internal/consumer/AbstractEventStream", Rule.PER_USE, "", "RecordingStream.startAsync"),
            e("com/sun/management/internal/VirtualThreadSchedulerImpls$VirtualThreadSchedulerImpl", Rule.PER_USE, "",
                    "a transient virtual thread that sets the scheduler's parallelism"),
            e("sun/management/jdp/JdpController", Rule.INSIDE, "sun/management/jdp/JdpController.startDiscoveryService",
                    "JDP broadcaster of the management agent"),
            e("jdk/management/jfr/DownLoadThread", Rule.PER_USE, "", "a remote recording's download"),
            e("jdk/management/jfr/RemoteRecordingStream", Rule.PER_USE, "", "a remote recording stream"));

    /**
     * Modules whose thread creations the table does not classify yet, with why: the coverage scan
     * skips them. GUI and tool modules do not run inside a server; the desktop's AWT/Swing threads
     * are JVM-wide and belong here once someone classifies them.
     */
    public static final Set<String> UNSCANNED_MODULES = Set.of(
            "java.desktop", "jdk.accessibility", "jdk.unsupported.desktop", "jdk.jsobject",  // GUI: not classified yet
            "jdk.hotspot.agent", "jdk.jconsole", "jdk.jdi", "jdk.jshell", "jdk.jpackage", "jdk.compiler",
            "jdk.internal.le", "jdk.internal.ed", "jdk.editpad", "jdk.jcmd", "jdk.javadoc", "jdk.jlink",
            "jdk.jartool", "jdk.jdeps", "jdk.internal.opt", "jdk.jstatd", "jdk.jdwp.agent");   // tools: own programs

    private static final String[] THREAD_CLASSES;
    private static final String[] GROUP_NAMES;
    private static final ThreadGroup ROOT;

    static {
        int feature = Runtime.version().feature();
        Set<String> classes = new LinkedHashSet<>(), groups = new LinkedHashSet<>();
        for (Entry x : TABLE) {
            if (x.minJdk() > feature) continue;
            if (x.rule() == Rule.THREAD_CLASS) classes.add(x.target());
            if (x.rule() == Rule.THREAD_GROUP && !x.target().equals("system")) groups.add(x.target());
        }
        THREAD_CLASSES = classes.toArray(new String[0]);
        GROUP_NAMES = groups.toArray(new String[0]);
        ThreadGroup g = Thread.currentThread().getThreadGroup();
        while (g.getParent() != null) g = g.getParent();
        ROOT = g;
    }

    private JdkInfrastructure() {
    }

    /** The INSIDE entries that apply to this JDK (what {@code Sites} weaves). */
    public static List<Entry> insideEntries() {
        List<Entry> out = new ArrayList<>();
        int feature = Runtime.version().feature();
        for (Entry x : TABLE) if (x.rule() == Rule.INSIDE && x.minJdk() <= feature) out.add(x);
        return out;
    }

    /** Whether {@code t} is infrastructure by its class or thread group (the INSIDE rule is the caller's). */
    public static boolean test(Thread t) {
        String cn = t.getClass().getName();
        for (String c : THREAD_CLASSES) if (c.equals(cn)) return true;
        if (t.isVirtual()) return false;
        ThreadGroup g = t.getThreadGroup();
        if (g == null) return false;        // terminated
        if (g == ROOT) return true;
        if (g.getParent() != ROOT) return false;
        String gn = g.getName();
        for (String n : GROUP_NAMES) if (n.equals(gn)) return true;
        return false;
    }

    /** The rule as the core's registry asks it (a plain class: no lambda bootstrap inside a hook). */
    static final class AsPredicate implements Predicate<Thread> {
        @Override
        public boolean test(Thread t) {
            return JdkInfrastructure.test(t);
        }
    }
}
