package io.jcontract.probes;

import io.jcontract.restarter.SystemdNotifier;

import java.io.IOException;

/**
 * A Unix-domain datagram socket that sends to one address: what systemd's
 * {@code NOTIFY_SOCKET} needs. The JDK has no such channel
 * ({@code DatagramChannel.open(StandardProtocolFamily.UNIX)} throws
 * {@code UnsupportedOperationException} on JDK 21 to 25: only stream
 * channels take a {@code UnixDomainSocketAddress}), so the real one is
 * written with the Foreign Function and Memory API, final since JDK 22, in
 * this multi-release jar's {@code META-INF/versions/22}. This class is the
 * JDK 21 version: it cannot send, and says so.
 *
 * <p>Not API: {@link SystemdNotifier}'s transport, public only because it
 * is loaded by name. It lives in this package, which the agent keeps off
 * the bootstrap class path, because that path does not read multi-release
 * jars: under the agent it is loaded from the agent jar by the system class
 * loader, which does.
 */
public final class UnixDatagram implements SystemdNotifier.Socket {

    private UnixDatagram() {
    }

    /** Why this JVM cannot send, or null if it can. */
    public static String unsupported() {
        return "sending to a Unix datagram socket needs JDK 22 or later (java.lang.foreign); this is JDK "
                + Runtime.version().feature();
    }

    /**
     * Opens a socket that sends to {@code address}: a path, or {@code @name}
     * for a Linux abstract address.
     */
    public static UnixDatagram open(String address) throws IOException {
        throw new IOException(unsupported());
    }

    @Override
    public void send(byte[] message) throws IOException {
        throw new IOException(unsupported());
    }

    @Override
    public void close() {
    }
}
