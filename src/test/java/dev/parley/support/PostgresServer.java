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
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A throwaway PostgreSQL cluster of a test's own, made with the machine's {@code initdb} and run with
 * {@code pg_ctl} on a free loopback port, so a test can stop and start the database under a running node without
 * touching the shared server on 5432 or the suite's embedded one. Password authentication only (a random password
 * in a 0600 file); as root the programs run inside a user namespace, as PostgreSQL refuses to run as root.
 * Without PostgreSQL 15's binaries the test is skipped with the reason, and fails on CI ({@code CI=true}).
 *
 * <p>{@link #startPrimary} makes one that accepts streaming replication, and {@link #replica} a hot standby of it
 * ({@code pg_basebackup -R}, in a temporary folder of its own, on its own free port). Each server is stopped by
 * its postmaster's PID ({@code pg_ctl} signals the PID in its {@code postmaster.pid}).
 */
public final class PostgresServer implements AutoCloseable {

    public static final String USER = "postgres";
    private static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");

    /**
     * What a primary of {@link #startPrimary} runs with: statement statistics (so a test can see which server ran a
     * query; a standby keeps its own), and no utility statements among them.
     */
    private static final String PRIMARY_OPTIONS =
            " -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track_utility=off";

    private final Path root;
    private final Path data;
    private final int port;
    private final String password;
    private final String options;

    private PostgresServer(Path root, int port, String password, String options) {
        this.root = root;
        this.data = root.resolve("data");
        this.port = port;
        this.password = password;
        this.options = options;
    }

    /** Creates the cluster and starts it. */
    public static PostgresServer start() {
        return create("", "");
    }

    /**
     * A cluster that streaming replicas may follow ({@code wal_level=replica}, a replication entry in
     * {@code pg_hba.conf}), with {@code pg_stat_statements} loaded; {@link #replica} makes one.
     */
    public static PostgresServer startPrimary() {
        PostgresServer primary = create(
                "host replication postgres 127.0.0.1/32 scram-sha-256\n", PRIMARY_OPTIONS + " -c wal_level=replica");
        primary.sql("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
        return primary;
    }

    /**
     * A hot standby of this server, streaming from it: {@code pg_basebackup -R} into a folder of its own, started on
     * a free port. It replays what this server writes, answers reads, and refuses writes.
     */
    public PostgresServer replica() {
        try {
            Path replicaRoot = tempRoot("pg-replica-");
            PostgresServer replica = new PostgresServer(replicaRoot, freePort(), password, options);
            runWith(
                    Map.of("PGPASSWORD", password),
                    BIN.resolve("pg_basebackup").toString(),
                    "-h",
                    "127.0.0.1",
                    "-p",
                    Integer.toString(port),
                    "-U",
                    USER,
                    "-D",
                    replica.data.toString(),
                    "-R",
                    "--wal-method=stream",
                    "--checkpoint=fast",
                    "--no-sync");
            replica.startAgain();
            return replica;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static PostgresServer create(String hbaExtra, String options) {
        if (!Files.isExecutable(BIN.resolve("initdb"))) {
            String reason = BIN + "/initdb is not installed (Debian's postgresql-15)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(reason + "; on CI the tests that start their own PostgreSQL need it");
            }
            Assumptions.abort(reason + "; install it to run this test");
        }
        try {
            Path root = tempRoot("pg-outage-");
            byte[] random = new byte[16];
            new SecureRandom().nextBytes(random);
            String password = HexFormat.of().formatHex(random);
            Path passwordFile = root.resolve("password");
            Files.writeString(passwordFile, password + "\n");
            Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-------"));
            PostgresServer server = new PostgresServer(root, freePort(), password, options);
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
            Files.writeString(
                    server.data.resolve("pg_hba.conf"), "host all postgres 127.0.0.1/32 scram-sha-256\n" + hbaExtra);
            server.startAgain();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path tempRoot(String prefix) throws IOException {
        return Files.createTempDirectory(
                Path.of("target").toAbsolutePath(),
                prefix,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }

    /** The postmaster's PID, from its {@code postmaster.pid} (the file's first line). */
    public long pid() {
        try {
            return Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid"))
                    .getFirst()
                    .strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs one statement as the superuser and returns the first column of the first row (null without rows). */
    public String sql(String statement) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl(), USER, password);
                Statement query = connection.createStatement()) {
            if (!query.execute(statement)) {
                return null;
            }
            try (ResultSet rows = query.getResultSet()) {
                return rows.next() ? rows.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(statement + " on port " + port + " failed: " + e.getMessage(), e);
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
                "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c fsync=off" + options,
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
        runWith(Map.of(), command);
    }

    /** {@code environment}: added to the program's (a password kept off its command line). */
    private static void runWith(Map<String, String> environment, String... command) {
        List<String> full = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            // PostgreSQL will not run as root; inside a user namespace we are uid 65534 but our files stay ours.
            full.addAll(List.of("unshare", "--user", "--map-user=65534", "--map-group=65534"));
        }
        full.addAll(List.of(command));
        try {
            ProcessBuilder builder = new ProcessBuilder(full).redirectErrorStream(true);
            builder.environment().putAll(environment);
            Process process = builder.start();
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
