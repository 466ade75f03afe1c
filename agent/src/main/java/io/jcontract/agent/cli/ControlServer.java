package io.jcontract.agent.cli;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import javax.management.JMException;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanException;
import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.ReflectionException;
import javax.management.RuntimeErrorException;
import javax.management.RuntimeMBeanException;
import javax.management.RuntimeOperationsException;
import javax.management.openmbean.OpenType;
import javax.management.openmbean.SimpleType;

/**
 * The target's end of the tools' channel: a Unix-domain socket through which
 * ctstat and ctwatch read the contracts MXBean, instead of the JDK's JMX
 * agent (whose RMI connector listens on a TCP port for the JVM's life).
 *
 * <h2>Theory of operation</h2>
 * The first tool that looks at a JVM attaches and loads the agent jar with
 * the argument {@value #AGENT_ARG}; the agent's {@code agentmain} calls
 * {@link #start}, which binds {@code <java.io.tmpdir>/jcontract-<uid>/<pid>.sock}
 * in a directory only this user can enter (mode 700, checked when it exists:
 * a directory owned by the user, no symbolic link, no group or other bits),
 * publishes the path as the system property {@value #SOCKET_PROPERTY} (the
 * tools read it through the attach mechanism; a failure goes to
 * {@value #ERROR_PROPERTY}), and deletes the socket at exit. No internet
 * socket is ever opened. Each connection gets a daemon thread that answers
 * requests one at a time: attribute reads and the operations the tools use
 * ({@link #OPERATIONS}; not kill or abandon), invoked on the MXBean in the
 * platform MBean server (created at the first connection if need be), so
 * the values are open data ({@link OpenWire}). Watches a connection opened
 * and did not close are closed when it ends. {@link #server} is guarded by
 * the class's monitor.
 *
 * <p>The wire: on connection the server sends {@value #MAGIC}, the protocol
 * version and whether the MXBean is there (else why not). A request is
 * {@code 'G'} name (read an attribute) or {@code 'I'} name, typed parameters,
 * signature (invoke); the answer is {@code 0} typed value, or {@code 1} and
 * the exception's chain as (class name, message) pairs.
 */
public final class ControlServer {
    /** The agent argument that asks for the channel. */
    public static final String AGENT_ARG = "jcontract-ctl";
    static final String SOCKET_PROPERTY = "jcontract.ctl.socket";
    static final String ERROR_PROPERTY = "jcontract.ctl.error";
    static final String MAGIC = "jcontract-ctl";
    static final int VERSION = 1;
    static final String OBJECT_NAME = "io.jcontract:type=Contracts";
    static final Set<String> OPERATIONS = Set.of("status", "table", "statusAny", "openWatch", "pollWatch",
            "closeWatch");
    private static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rwx------");
    private static final AtomicInteger CONNECTIONS = new AtomicInteger();
    private static ServerSocketChannel server;

    private ControlServer() {
    }

    /** Opens the channel once (later calls do nothing); never throws: failures go to {@value #ERROR_PROPERTY}. */
    public static synchronized void start() {
        if (server != null) return;
        try {
            Path socket = privateDirectory().resolve(ProcessHandle.current().pid() + ".sock");
            Files.deleteIfExists(socket);       // left by a dead JVM that had this pid
            ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            ch.bind(UnixDomainSocketAddress.of(socket));
            server = ch;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    ch.close();
                    Files.deleteIfExists(socket);
                } catch (IOException ignored) {
                    // exiting anyway
                }
            }, "jcontract-ctl-cleanup"));
            Thread.ofPlatform().daemon().name("jcontract-ctl").start(() -> accept(ch));
            System.clearProperty(ERROR_PROPERTY);
            System.setProperty(SOCKET_PROPERTY, socket.toString());
        } catch (Throwable e) {
            System.setProperty(ERROR_PROPERTY, "cannot open the jcontract channel: " + e);
        }
    }

    /** {@code <tmpdir>/jcontract-<uid>}, made mode 700 or checked to be private to this user. */
    static Path privateDirectory() throws IOException {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        Path dir = tmp.resolve("jcontract-" + uid());
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PRIVATE));
            Files.setPosixFilePermissions(dir, PRIVATE);     // whatever the umask
        } catch (FileAlreadyExistsException exists) {
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS))
                throw new IOException(dir + " is not a directory");
            Object owner = Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            if (!String.valueOf(owner).equals(uid())) throw new IOException(dir + " belongs to uid " + owner);
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
            if (!perms.equals(PRIVATE))
                throw new IOException(dir + " has mode " + PosixFilePermissions.toString(perms) + ", not rwx------");
        }
        return dir;
    }

    /** This process's user id (the owner of /proc/PID), or its user name where there is no /proc. */
    private static String uid() {
        try {
            return String.valueOf(Files.getAttribute(Path.of("/proc/" + ProcessHandle.current().pid()), "unix:uid"));
        } catch (IOException | RuntimeException e) {
            return System.getProperty("user.name", "unknown").replaceAll("[^A-Za-z0-9._-]", "_");
        }
    }

    private static void accept(ServerSocketChannel ch) {
        for (;;) {
            SocketChannel c;
            try {
                c = ch.accept();
            } catch (ClosedChannelException exiting) {
                return;
            } catch (IOException e) {
                continue;       // one failed accept (out of fds): the next may work
            }
            Thread.ofPlatform().daemon().name("jcontract-ctl-" + CONNECTIONS.incrementAndGet()).start(() -> serve(c));
        }
    }

    private static void serve(SocketChannel c) {
        List<Long> watches = new ArrayList<>();
        MBeanServer mbs = null;
        ObjectName name = null;
        try (c; DataInputStream in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(c)));
             DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(c)))) {
            out.writeUTF(MAGIC);
            out.writeInt(VERSION);
            name = new ObjectName(OBJECT_NAME);
            mbs = ManagementFactory.getPlatformMBeanServer();
            // an agent on its lookup bridge leaves the MXBean to its first use: this one
            if (!mbs.isRegistered(name) && System.getProperty(io.jcontract.agent.JContractAgent.INSTALLED_PROPERTY) != null)
                io.jcontract.management.ContractsMXBean.register();
            boolean there = mbs.isRegistered(name);
            out.writeBoolean(there);
            if (!there) {
                OpenWire.writeString(out, "it has no MBean " + OBJECT_NAME + " (start it with "
                        + "-javaagent:jcontract-agent.jar, or have it call ContractsMXBean.register())");
                out.flush();
                return;
            }
            out.flush();
            MBeanInfo info = mbs.getMBeanInfo(name);
            Map<String, OpenType<?>> attributes = new HashMap<>(), operations = new HashMap<>();
            for (MBeanAttributeInfo a : info.getAttributes()) attributes.put(a.getName(), openType(a.getDescriptor()));
            for (MBeanOperationInfo o : info.getOperations()) operations.put(o.getName(), openType(o.getDescriptor()));
            for (;;) {
                int kind;
                try {
                    kind = in.readByte();
                } catch (EOFException done) {
                    return;
                }
                String member = OpenWire.readString(in);
                Object[] params = new Object[0];
                String[] signature = new String[0];
                if (kind == 'I') {
                    params = new Object[in.readUnsignedByte()];
                    for (int i = 0; i < params.length; i++) params[i] = OpenWire.readValue(in, OpenWire.readType(in));
                    signature = new String[in.readUnsignedByte()];
                    for (int i = 0; i < signature.length; i++) signature[i] = OpenWire.readString(in);
                } else if (kind != 'G') {
                    throw new IOException("bad request " + kind);
                }
                Object result;
                OpenType<?> type;
                try {
                    if (kind == 'G') {
                        type = attributes.get(member);
                        result = mbs.getAttribute(name, member);
                    } else {
                        if (!OPERATIONS.contains(member))
                            throw new UnsupportedOperationException("operation " + member
                                    + " is not offered on the tools' channel (only " + OPERATIONS + ")");
                        type = operations.get(member);
                        result = mbs.invoke(name, member, params, signature);
                        if (member.equals("openWatch") && result instanceof Long id) watches.add(id);
                        if (member.equals("closeWatch") && params.length == 1) watches.remove(params[0]);
                    }
                } catch (Exception | Error e) {
                    out.writeByte(1);
                    List<Throwable> chain = new ArrayList<>();
                    for (Throwable t = target(e); t != null && chain.size() < 8; t = t.getCause()) chain.add(t);
                    out.writeByte(chain.size());
                    for (Throwable t : chain) {
                        OpenWire.writeString(out, t.getClass().getName());
                        OpenWire.writeString(out, t.getMessage() == null ? "" : t.getMessage());
                    }
                    out.flush();
                    continue;
                }
                if (type == null || result == null) type = result == null ? SimpleType.VOID : OpenWire.typeOf(result);
                out.writeByte(0);
                OpenWire.writeType(out, type);
                OpenWire.writeValue(out, type, result);
                out.flush();
            }
        } catch (IOException | JMException | RuntimeException gone) {
            // the client went away or spoke nonsense: drop the connection
        } finally {
            if (mbs != null)
                for (long w : watches) {
                    try {
                        mbs.invoke(name, "closeWatch", new Object[] {w}, new String[] {"long"});
                    } catch (JMException | RuntimeException alreadyClosed) {
                        // reaped meanwhile
                    }
                }
        }
    }

    private static OpenType<?> openType(javax.management.Descriptor d) {
        Object t = d == null ? null : d.getFieldValue("openType");
        return t instanceof OpenType<?> o ? o : null;
    }

    /** What the MXBean itself threw, out of JMX's wrappers. */
    private static Throwable target(Throwable t) {
        for (;;) {
            Throwable next = switch (t) {
                case RuntimeMBeanException e -> e.getTargetException();
                case MBeanException e -> e.getTargetException();
                case RuntimeErrorException e -> e.getTargetError();
                case RuntimeOperationsException e -> e.getTargetException();
                case ReflectionException e -> e.getTargetException();
                default -> null;
            };
            if (next == null || next == t) return t;
            t = next;
        }
    }
}
