package io.jcontract.agent.cli;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

import javax.management.MBeanException;
import javax.management.MBeanServerConnection;
import javax.management.RuntimeErrorException;
import javax.management.RuntimeMBeanException;
import javax.management.openmbean.OpenType;

/**
 * The tools' end of the channel to a target's {@link ControlServer}: one
 * Unix-domain connection, requests one at a time (a fair lock: ctwatch's
 * exit hook may ask while the main thread polls), seen by JMX as an
 * {@link MBeanServerConnection} so that {@code JMX.newMXBeanProxy} maps the
 * open data back to {@code ContractInfo}, {@code WatchBatch}... An
 * exception the MXBean threw comes back as the same class when this side
 * has it (jcontract's and the JDK's), else as a {@link RemoteFailure}.
 */
final class ControlClient implements AutoCloseable {
    private final SocketChannel channel;
    private final DataInputStream in;
    private final DataOutputStream out;
    private final ReentrantLock lock = new ReentrantLock(true);

    /** The target speaks the protocol but has no contracts MXBean; the message says why. */
    static final class NotServed extends Exception {
        NotServed(String message) {
            super(message);
        }
    }

    /** An exception of a class this side does not have, by name and message. */
    static final class RemoteFailure extends RuntimeException {
        private final String className;

        RemoteFailure(String className, String message) {
            super(message);
            this.className = className;
        }

        @Override
        public String toString() {
            return className + (getMessage().isEmpty() ? "" : ": " + getMessage());
        }
    }

    private ControlClient(SocketChannel channel) throws IOException {
        this.channel = channel;
        in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(channel)));
        out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(channel)));
    }

    static ControlClient connect(Path socket) throws IOException, NotServed {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ControlClient c = new ControlClient(ch);
            String magic = c.in.readUTF();
            int version = c.in.readInt();
            if (!magic.equals(ControlServer.MAGIC) || version != ControlServer.VERSION)
                throw new IOException("the target speaks " + magic + " version " + version + ", this tool "
                        + ControlServer.MAGIC + " version " + ControlServer.VERSION + " (use the tools of its jcontract)");
            if (!c.in.readBoolean()) throw new NotServed(OpenWire.readString(c.in));
            return c;
        } catch (IOException | NotServed | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    Object getAttribute(String name) throws IOException, MBeanException {
        return call('G', name, null, null);
    }

    Object invoke(String name, Object[] params, String[] signature) throws IOException, MBeanException {
        return call('I', name, params == null ? new Object[0] : params, signature == null ? new String[0] : signature);
    }

    private Object call(int kind, String name, Object[] params, String[] signature) throws IOException, MBeanException {
        lock.lock();
        try {
            out.writeByte(kind);
            OpenWire.writeString(out, name);
            if (kind == 'I') {
                out.writeByte(params.length);
                for (Object p : params) {
                    OpenType<?> t = OpenWire.typeOf(p);
                    OpenWire.writeType(out, t);
                    OpenWire.writeValue(out, t, p);
                }
                out.writeByte(signature.length);
                for (String s : signature) OpenWire.writeString(out, s);
            }
            out.flush();
            int status = in.readByte();
            if (status == 0) return OpenWire.readValue(in, OpenWire.readType(in));
            int n = in.readUnsignedByte();
            List<String[]> chain = new ArrayList<>();
            for (int i = 0; i < n; i++) chain.add(new String[] {OpenWire.readString(in), OpenWire.readString(in)});
            Throwable t = null;
            for (int i = chain.size() - 1; i >= 0; i--) {
                Throwable outer = rebuild(chain.get(i)[0], chain.get(i)[1]);
                if (t != null) outer.initCause(t);
                t = outer;
            }
            if (t == null) t = new RemoteFailure("unknown failure", "");
            if (t instanceof RuntimeException re) throw new RuntimeMBeanException(re);
            if (t instanceof Error e) throw new RuntimeErrorException(e);
            throw new MBeanException((Exception) t);
        } finally {
            lock.unlock();
        }
    }

    /** The exception {@code className(message)} if this side has that class, else a {@link RemoteFailure}. */
    private static Throwable rebuild(String className, String message) {
        if (className.startsWith("java.") || className.startsWith("io.jcontract.")
                || className.startsWith("javax.management.")) {
            try {
                Class<?> c = Class.forName(className, false, ControlClient.class.getClassLoader());
                if (Throwable.class.isAssignableFrom(c)) {
                    Throwable t = (Throwable) c.getConstructor(String.class).newInstance(message);
                    t.setStackTrace(new StackTraceElement[0]);
                    return t;
                }
            } catch (ReflectiveOperationException | LinkageError | RuntimeException noSuchOrOtherShape) {
                // fall through
            }
        }
        return new RemoteFailure(className, message);
    }

    /** This connection as the part of an MBeanServerConnection an MXBean proxy uses. */
    MBeanServerConnection connection() {
        return (MBeanServerConnection) Proxy.newProxyInstance(ControlClient.class.getClassLoader(),
                new Class<?>[] {MBeanServerConnection.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getAttribute" -> getAttribute((String) args[1]);
                    case "invoke" -> invoke((String) args[1], (Object[]) args[2], (String[]) args[3]);
                    case "isRegistered" -> true;
                    case "toString" -> "jcontract channel " + channel;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName()
                            + " is not offered on the jcontract channel");
                });
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // gone already
        }
    }
}
