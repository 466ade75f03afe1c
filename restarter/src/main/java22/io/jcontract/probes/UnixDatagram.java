package io.jcontract.probes;

import io.jcontract.restarter.SystemdNotifier;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;

/**
 * A Unix-domain datagram socket that sends to one address, through the
 * Foreign Function and Memory API (JDK 22+): {@code socket(AF_UNIX,
 * SOCK_DGRAM | SOCK_CLOEXEC, 0)}, {@code sendto} with a {@code sockaddr_un}
 * and {@code MSG_DONTWAIT} (a systemd that does not read its queue costs a
 * datagram, reported as EAGAIN, never a blocked notifier or shutdown hook),
 * {@code close}. Linux only (the constants are Linux's; systemd is Linux).
 * The JDK 21 version of this class cannot send; see it for why this exists.
 *
 * <p>Linking native functions is a restricted operation: JDK 22 to 25 print
 * a warning on first use unless the JVM runs with
 * {@code --enable-native-access=ALL-UNNAMED} (or the module name).
 *
 * <p>Not API: {@link SystemdNotifier}'s transport, loaded by name (see the
 * JDK 21 version for why it is in this package). {@link #send} and
 * {@link #close} are synchronized.
 */
public final class UnixDatagram implements SystemdNotifier.Socket {
    private static final int AF_UNIX = 1, SOCK_DGRAM = 2, SOCK_CLOEXEC = 0x80000, MSG_DONTWAIT = 0x40,
            MSG_NOSIGNAL = 0x4000;
    private static final int SUN_PATH = 108;
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private static volatile Natives natives;

    private record Natives(MethodHandle socket, MethodHandle sendto, MethodHandle close, MethodHandle strerror) {
    }

    private final Arena arena = Arena.ofShared();
    private final MemorySegment addr;
    private final int addrLen;
    private final String address;
    private int fd;

    private UnixDatagram(String address, byte[] path, boolean abstractName, int fd) {
        this.address = address;
        this.fd = fd;
        addr = arena.allocate(2 + SUN_PATH);
        addr.set(ValueLayout.JAVA_SHORT, 0, (short) AF_UNIX);
        MemorySegment.copy(path, 0, addr, ValueLayout.JAVA_BYTE, 2, path.length);
        // abstract: exactly the name's bytes; a path: with its terminating NUL (already zero)
        addrLen = 2 + path.length + (abstractName ? 0 : 1);
    }

    /** Why this JVM cannot send, or null if it can. */
    public static String unsupported() {
        String os = System.getProperty("os.name", "");
        return os.startsWith("Linux") ? null : "systemd notification is implemented for Linux only, not " + os;
    }

    private static Natives natives() {
        Natives n = natives;
        if (n != null) return n;
        Linker linker = Linker.nativeLinker();
        var lookup = linker.defaultLookup();
        Linker.Option errno = Linker.Option.captureCallState("errno");
        n = new Natives(
                linker.downcallHandle(lookup.find("socket").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                                ValueLayout.JAVA_INT), errno),
                linker.downcallHandle(lookup.find("sendto").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
                                ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT),
                        errno),
                linker.downcallHandle(lookup.find("close").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT)),
                linker.downcallHandle(lookup.find("strerror").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT)));
        natives = n;
        return n;
    }

    /**
     * Opens a socket that sends to {@code address}: a path, or {@code @name}
     * for a Linux abstract address.
     */
    public static UnixDatagram open(String address) throws IOException {
        String why = unsupported();
        if (why != null) throw new IOException(why);
        byte[] path = address.getBytes(StandardCharsets.UTF_8);
        boolean abstractName = path.length > 0 && path[0] == '@';
        if (abstractName) path[0] = 0;
        if (path.length == 0 || path.length >= SUN_PATH)
            throw new IOException("NOTIFY_SOCKET " + address + " is not a usable Unix socket address (1 to "
                    + (SUN_PATH - 1) + " bytes)");
        Natives n = natives();
        int fd;
        try (Arena call = Arena.ofConfined()) {
            MemorySegment state = call.allocate(CALL_STATE);
            fd = (int) n.socket().invokeExact(state, AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
            if (fd < 0) throw error(n, "socket(AF_UNIX, SOCK_DGRAM)", (int) ERRNO.get(state, 0L));
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("cannot open a socket to " + address, t);
        }
        return new UnixDatagram(address, path, abstractName, fd);
    }

    @Override
    public synchronized void send(byte[] message) throws IOException {
        if (fd < 0) throw new IOException("socket to " + address + " is closed");
        Natives n = natives();
        try (Arena call = Arena.ofConfined()) {
            MemorySegment buf = call.allocate(Math.max(1, message.length));
            MemorySegment.copy(message, 0, buf, ValueLayout.JAVA_BYTE, 0, message.length);
            MemorySegment state = call.allocate(CALL_STATE);
            long sent = (long) n.sendto().invokeExact(state, fd, buf, (long) message.length, MSG_DONTWAIT | MSG_NOSIGNAL, addr,
                    addrLen);
            if (sent < 0) throw error(n, "sendto(" + address + ")", (int) ERRNO.get(state, 0L));
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("cannot send to " + address, t);
        }
    }

    @Override
    public synchronized void close() {
        if (fd < 0) return;
        try {
            int ignored = (int) natives().close().invokeExact(fd);
        } catch (Throwable ignored) {
            // closing a datagram socket cannot fail in a way that matters
        }
        fd = -1;
        arena.close();
    }

    private static IOException error(Natives n, String what, int errno) {
        String text;
        try {
            MemorySegment s = (MemorySegment) n.strerror().invokeExact(errno);
            text = s.reinterpret(256).getString(0);
        } catch (Throwable t) {
            text = "errno " + errno;
        }
        return new IOException(what + " failed: " + text + " (errno " + errno + ")");
    }
}
