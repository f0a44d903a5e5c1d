package dev.parley.support;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A throwaway PostgreSQL cluster of a test's own, made with the machine's {@code initdb} and run with
 * {@code pg_ctl} on a free loopback port, so a test can stop and start the database under a running node without
 * touching the shared server on 5432 or the suite's embedded one. Password authentication only (a random password
 * in a 0600 file); as root the programs run inside a user namespace, as PostgreSQL refuses to run as root.
 * Without PostgreSQL 15's binaries the test is skipped with the reason, and fails on CI ({@code CI=true}).
 */
public final class PostgresServer implements AutoCloseable {

    public static final String USER = "postgres";
    private static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");

    private final Path root;
    private final Path data;
    private final int port;
    private final String password;

    private PostgresServer(Path root, int port, String password) {
        this.root = root;
        this.data = root.resolve("data");
        this.port = port;
        this.password = password;
    }

    /** Creates the cluster and starts it. */
    public static PostgresServer start() {
        if (!Files.isExecutable(BIN.resolve("initdb"))) {
            String reason = BIN + "/initdb is not installed (Debian's postgresql-15)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(reason + "; on CI the database outage test needs it");
            }
            Assumptions.abort(reason + "; install it to run this test");
        }
        try {
            Path root = Files.createTempDirectory(
                    Path.of("target").toAbsolutePath(),
                    "pg-outage-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            byte[] random = new byte[16];
            new SecureRandom().nextBytes(random);
            String password = HexFormat.of().formatHex(random);
            Path passwordFile = root.resolve("password");
            Files.writeString(passwordFile, password + "\n");
            Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-------"));
            PostgresServer server = new PostgresServer(root, freePort(), password);
            run(
                    BIN.resolve("initdb").toString(),
                    "-D",
                    server.data.toString(),
                    "-U",
                    USER,
                    "-A",
                    "scram-sha-256",
                    "--pwfile=" + passwordFile,
                    "-E",
                    "UTF8",
                    "--no-locale",
                    "--no-sync");
            Files.writeString(server.data.resolve("pg_hba.conf"), "host all postgres 127.0.0.1/32 scram-sha-256\n");
            server.startAgain();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    public String password() {
        return password;
    }

    /** The arguments that point a Parley node at this server. */
    public List<String> datasourceArgs() {
        return List.of(
                "--spring.datasource.url=" + jdbcUrl(),
                "--spring.datasource.username=" + USER,
                "--spring.datasource.password=" + password);
    }

    /** Stops the server at once ({@code immediate}: no checkpoint, connections cut, as a crash would). */
    public void stop() {
        run(pgCtl(), "-D", data.toString(), "-m", "immediate", "-w", "stop");
    }

    /** Starts it again on the same port with the same data. */
    public void startAgain() {
        run(
                pgCtl(),
                "-D",
                data.toString(),
                "-l",
                root.resolve("postgres.log").toString(),
                "-w",
                "-t",
                "30",
                "-o",
                "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c fsync=off",
                "start");
    }

    private static String pgCtl() {
        return BIN.resolve("pg_ctl").toString();
    }

    @Override
    public void close() {
        try {
            if (Files.exists(data.resolve("postmaster.pid"))) {
                stop();
            }
        } finally {
            try (Stream<Path> files = Files.walk(root)) {
                files.sorted(Comparator.reverseOrder())
                        .forEach(path -> path.toFile().delete());
            } catch (IOException ignored) {
                // a temp folder left in target/ is harmless
            }
        }
    }

    private static void run(String... command) {
        List<String> full = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            // PostgreSQL will not run as root; inside a user namespace we are uid 65534 but our files stay ours.
            full.addAll(List.of("unshare", "--user", "--map-user=65534", "--map-group=65534"));
        }
        full.addAll(List.of(command));
        try {
            Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
            process.getOutputStream().close();
            // pg_ctl start hands its output to the server's log once it detaches; this returns at its exit.
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(
                        String.join(" ", command) + " failed: " + new String(output, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
