package io.jcontract.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Observing a JVM opens no network socket in it (issue 15): after ctstat
 * and ctwatch, the target has no internet socket it did not have before
 * (read from /proc: the target's socket fds against its tcp, tcp6, udp,
 * udp6 tables), and the Unix-domain socket the tools talk through lies in
 * a directory only its user can enter. The tools still show the right data.
 * The channel offers reads and watches, not kill; a socket directory others
 * can enter is refused.
 */
@Timeout(120)
class NoListenerTest {

    @Test
    void ctstatAndCtwatchLeaveNoNetworkSocketInTheTarget() throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "needs Linux /proc");
        try (CliSupport.Target target = CliSupport.Target.withAgent()) {
            long pid = target.process.pid();
            Set<String> before = internetSockets(pid);
            String[] spawned = target.send("spawn", "spawned ").split(" ");
            String id = spawned[1];

            CliSupport.Result stat = CliSupport.inProcess("ctstat", "-v", target.pid());
            assertEquals(0, stat.status(), stat::toString);
            assertTrue(stat.out().lines().anyMatch(l -> l.matches(id + "\\s+process\\s+owned\\s+\\d+\\s+0\\s+1")),
                    stat::toString);
            assertTrue(stat.out().contains("member threads:        " + spawned[2] + " parked-worker"), stat::toString);

            String crashed = target.send("crash", "crashed ").split(" ")[1];   // its critical events stay queued
            CliSupport.Result watch = CliSupport.inProcess("ctwatch", "-f", "-n", "1", target.pid(), crashed);
            assertEquals(0, watch.status(), watch::toString);
            assertEquals(CtWatch.HEADER, watch.out().lines().findFirst().orElse(""), watch::toString);
            assertTrue(watch.out().lines().skip(1).findFirst().orElse("").matches(crashed + "\\s+\\d+\\s+crit.*"),
                    watch::toString);
            // a second look reuses the channel the first one set up
            CliSupport.Result again = CliSupport.inProcess("ctstat", "-i", id, target.pid());
            assertEquals(0, again.status(), again::toString);

            Set<String> after = internetSockets(pid);
            after.removeAll(before);
            assertEquals(Set.of(), after, "internet sockets the tools left in the target (inode state local address)");

            for (String path : unixSocketPaths(pid)) {
                if (!path.contains("jcontract")) continue;
                Path dir = Path.of(path).getParent();
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir);
                assertEquals("rwx------", PosixFilePermissions.toString(perms), "the socket's directory " + dir);
            }
        }
    }

    @Test
    void theChannelOffersNoKillAndOnlyAPrivateDirectory(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self")), "needs Linux /proc");
        try (CliSupport.Target target = CliSupport.Target.withAgent()) {
            String id = target.send("spawn", "spawned ").split(" ")[1];
            try (TargetJvm jvm = TargetJvm.connect(target.pid())) {
                RuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
                        () -> jvm.contracts.kill(Integer.parseInt(id)));
                assertTrue(jvm.failure(e).getMessage().contains("operation kill is not offered on the tools' channel"),
                        e::toString);
                assertEquals(1, jvm.contracts.statusAny(Integer.parseInt(id), "ALL").getMembers().length,
                        "not killed");
            }
            target.send("release", "released");
        }
        // a directory others can enter is not used: the channel is refused, with the reason
        String uid = String.valueOf(Files.getAttribute(Path.of("/proc/" + ProcessHandle.current().pid()), "unix:uid"));
        Path shared = Files.createDirectory(tmp.resolve("jcontract-" + uid));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (CliSupport.Target target = CliSupport.Target.withAgent("-Djava.io.tmpdir=" + tmp)) {
            CliSupport.Result r = CliSupport.inProcess("ctstat", target.pid());
            assertEquals(1, r.status(), r::toString);
            assertTrue(r.err().contains("could not open the jcontract channel") && r.err().contains("not rwx------"),
                    r::toString);
            assertEquals(List.of(), unixSocketPaths(target.process.pid()).stream()
                    .filter(p -> p.contains("jcontract")).toList(), "no socket bound");
        }
    }

    /** The target's internet sockets: its socket fds' inodes found in its network namespace's tables. */
    static Set<String> internetSockets(long pid) throws IOException {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String link = Files.readSymbolicLink(fd).toString();
                    if (link.startsWith("socket:[")) inodes.add(link.substring(8, link.length() - 1));
                } catch (IOException closedMeanwhile) {
                    // an fd closed while listing
                }
            }
        }
        Set<String> out = new TreeSet<>();
        for (String table : List.of("tcp", "tcp6", "udp", "udp6")) {
            Path p = Path.of("/proc/" + pid + "/net/" + table);
            if (!Files.exists(p)) continue;
            for (String line : Files.readAllLines(p).subList(1, Files.readAllLines(p).size())) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 9 && inodes.contains(f[9])) out.add(table + " " + f[9] + " state " + f[3] + " " + f[1]);
            }
        }
        return out;
    }

    /** Paths of the target's Unix-domain sockets that have one. */
    static List<String> unixSocketPaths(long pid) throws IOException {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String link = Files.readSymbolicLink(fd).toString();
                    if (link.startsWith("socket:[")) inodes.add(link.substring(8, link.length() - 1));
                } catch (IOException closedMeanwhile) {
                    // an fd closed while listing
                }
            }
        }
        return Files.readAllLines(Path.of("/proc/" + pid + "/net/unix")).stream().skip(1)
                .map(l -> l.trim().split("\\s+")).filter(f -> f.length > 7 && inodes.contains(f[6]))
                .map(f -> f[7]).toList();
    }
}
