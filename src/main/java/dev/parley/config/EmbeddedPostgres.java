package dev.parley.config;

import dev.parley.common.SecretFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server run from the binaries on the class path (zonky's packaging), with its data kept in a
 * folder so it survives restarts. We run the binaries ourselves rather than through zonky's launcher because
 * PostgreSQL refuses to run as root, and CI and many containers run as root: there we start it inside a user
 * namespace where we appear as an unprivileged user while still owning our files.
 *
 * <p>Only the {@code postgres} role may connect, only over loopback TCP, and only with its password (SCRAM-SHA-256):
 * a random password made at first start and kept 0600 in the 0700 data folder ({@code postgres-password}). Data
 * folders from versions that let any local process in without a password (trust) are converted at start-up:
 * the password is set in single-user mode, with the server down, so there is never a moment when it listens
 * without authentication. pgjdbc cannot reach a Unix socket without extra libraries, hence TCP.
 *
 * <p>Instances are shared per data folder within one JVM (two application contexts in one test JVM use the
 * same server) and reference counted.
 */
public final class EmbeddedPostgres implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgres.class);
    private static final Map<Path, EmbeddedPostgres> RUNNING = new ConcurrentHashMap<>();

    /** The one role that may log in; the data folder's superuser. */
    public static final String USER = "postgres";

    static final String PASSWORD_FILE = "postgres-password";
    /**
     * The whole of pg_hba.conf: anything else there (initdb's defaults, trust from older versions, an edit) is
     * replaced at start-up. Other roles cannot log in at all, so one created while an old folder was open
     * without a password is of no use to whoever made it.
     */
    static final String HBA = """
            # Written by Parley at every start; edits are replaced. Only the postgres role, only over loopback TCP,
            # only with the password kept in ../postgres-password.
            host all postgres 127.0.0.1/32 scram-sha-256
            """;

    private static final String INVALID_PASSWORD = "28P01";

    private final Path pgData;
    private final Path binDir;
    private final Path passwordFile;
    private final String password;
    private final int port;
    private int references;

    private EmbeddedPostgres(Path pgData, Path binDir, Path passwordFile, String password, int port) {
        this.pgData = pgData;
        this.binDir = binDir;
        this.passwordFile = passwordFile;
        this.password = password;
        this.port = port;
    }

    /** Starts (or joins) the server whose data lives under {@code dataDir/postgres}. */
    public static synchronized EmbeddedPostgres obtain(
            Path dataDir, Path binariesDir, int requestedPort, Duration startTimeout) {
        Path root = dataDir.toAbsolutePath().normalize();
        EmbeddedPostgres existing = RUNNING.get(root);
        if (existing != null) {
            existing.references++;
            return existing;
        }
        try {
            SecretFiles.secureFolder(root);
            Path binDir = extractBinaries(binariesDir == null ? root.resolve("pg-dist") : binariesDir.toAbsolutePath());
            Path pgData = root.resolve("postgres");
            Path passwordFile = root.resolve(PASSWORD_FILE);
            String password = SecretFiles.readOrCreateToken(passwordFile, 24);
            int port = requestedPort > 0 ? requestedPort : freePort();
            EmbeddedPostgres pg = new EmbeddedPostgres(pgData, binDir, passwordFile, password, port);
            pg.start(startTimeout);
            pg.references = 1;
            RUNNING.put(root, pg);
            return pg;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL in " + root, e);
        }
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    public int port() {
        return port;
    }

    /** The password of {@link #USER}, for the application's own connection pool. */
    public String password() {
        return password;
    }

    @Override
    public void close() {
        synchronized (EmbeddedPostgres.class) {
            if (--references > 0) {
                return;
            }
            RUNNING.values().remove(this);
        }
        try {
            stop(Duration.ofSeconds(60));
            log.info("Embedded PostgreSQL stopped");
        } catch (RuntimeException e) {
            log.warn("Embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
        }
    }

    private void start(Duration timeout) throws IOException {
        if (!Files.exists(pgData.resolve("PG_VERSION"))) {
            SecretFiles.secureFolder(pgData);
            log.info("Initialising embedded PostgreSQL data in {}", pgData);
            run(
                    timeout,
                    null,
                    binDir.resolve("bin/initdb").toString(),
                    "-D",
                    pgData.toString(),
                    "-U",
                    USER,
                    "-A",
                    "scram-sha-256",
                    "--pwfile=" + passwordFile,
                    "-E",
                    "UTF8",
                    "--no-locale",
                    "--no-sync");
            Files.writeString(pgData.resolve("pg_hba.conf"), HBA);
        }
        stopLeftover(timeout);
        if (!HBA.equals(Files.readString(pgData.resolve("pg_hba.conf")))) {
            log.warn(
                    "The embedded PostgreSQL in {} accepted connections without a password; it now requires the "
                            + "one in {}",
                    pgData,
                    passwordFile);
            requirePassword(timeout);
        }
        launch(timeout);
        if (!passwordAccepted()) {
            // The password file was lost or replaced: whoever can write the data folder owns the database anyway.
            log.warn("The embedded PostgreSQL refused the password in {}; setting it again", passwordFile);
            stop(timeout);
            requirePassword(timeout);
            launch(timeout);
        }
        log.info("Embedded PostgreSQL listening on 127.0.0.1:{} (data in {})", port, pgData);
    }

    private void launch(Duration timeout) {
        Path logFile = pgData.getParent().resolve("postgres.log");
        String options = "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=''"
                + " -c max_connections=200 -c shared_buffers=256MB -c password_encryption=scram-sha-256";
        run(
                timeout,
                null,
                pgCtl(),
                "-D",
                pgData.toString(),
                "-l",
                logFile.toString(),
                "-o",
                options,
                "-w",
                "-t",
                String.valueOf(timeout.toSeconds()),
                "start");
    }

    private void stop(Duration timeout) {
        run(timeout, null, pgCtl(), "-D", pgData.toString(), "-m", "fast", "-w", "stop");
    }

    /**
     * With the server down: the role's password set in single-user mode (no network, no authentication, the
     * password on standard input rather than a command line any local process can read), then pg_hba.conf
     * replaced. Repeatable: a crash between the two steps is finished at the next start.
     */
    private void requirePassword(Duration timeout) throws IOException {
        String output = run(
                timeout,
                "ALTER ROLE " + USER + " WITH PASSWORD '" + password + "';\n",
                binDir.resolve("bin/postgres").toString(),
                "--single",
                "-D",
                pgData.toString(),
                "-c",
                "password_encryption=scram-sha-256",
                "postgres");
        // Single-user mode reports a failed statement on its output and still exits 0.
        if (output.contains("ERROR:") || output.contains("FATAL:")) {
            throw new IllegalStateException(
                    "Could not set the embedded PostgreSQL's password: " + output.replace(password, "***"));
        }
        Path hba = pgData.resolve("pg_hba.conf");
        Path partial = hba.resolveSibling("pg_hba.conf.part");
        Files.writeString(partial, HBA);
        Files.move(partial, hba, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private boolean passwordAccepted() {
        Properties credentials = new Properties();
        credentials.setProperty("user", USER);
        credentials.setProperty("password", password);
        try (Connection ignored = DriverManager.getConnection(jdbcUrl("postgres"), credentials)) {
            return true;
        } catch (SQLException e) {
            if (INVALID_PASSWORD.equals(e.getSQLState())) {
                return false;
            }
            throw new IllegalStateException("Could not connect to the embedded PostgreSQL: " + e.getMessage(), e);
        }
    }

    /** A JVM killed without a shutdown leaves its server running on the data folder; stop it first. */
    private void stopLeftover(Duration timeout) {
        if (!Files.exists(pgData.resolve("postmaster.pid"))) {
            return;
        }
        try {
            run(timeout, null, pgCtl(), "-D", pgData.toString(), "status");
        } catch (RuntimeException notRunning) {
            return;
        }
        log.warn("A PostgreSQL server left over from an earlier run holds {}; stopping it", pgData);
        stop(timeout);
    }

    private String pgCtl() {
        return binDir.resolve("bin/pg_ctl").toString();
    }

    /** Whether the PostgreSQL binaries for this machine are on the class path (not in the {@code -Pserver} jar). */
    static boolean binariesAvailable(ClassLoader loader) {
        return loader.getResource(binariesResource()) != null;
    }

    private static String binariesResource() {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        return arch.contains("aarch64") || arch.contains("arm64")
                ? "postgres-linux-arm_64.txz"
                : "postgres-linux-x86_64.txz";
    }

    static Path extractBinaries(Path distRoot) throws IOException {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        String resource = binariesResource();
        Path target = distRoot.resolve(resource.replace(".txz", ""));
        if (Files.exists(target.resolve(".complete"))) {
            return target;
        }
        log.info("Extracting PostgreSQL binaries to {}", target);
        Files.createDirectories(target);
        try (InputStream in = EmbeddedPostgres.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("No PostgreSQL binaries for " + arch + " on the class path");
            }
            Process tar = new ProcessBuilder("tar", "-xJ", "-C", target.toString())
                    .redirectErrorStream(true)
                    .start();
            try (var stdin = tar.getOutputStream()) {
                in.transferTo(stdin);
            }
            String output = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (tar.waitFor() != 0) {
                throw new IllegalStateException("Extracting PostgreSQL failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while extracting PostgreSQL", e);
        }
        Files.createFile(target.resolve(".complete"));
        return target;
    }

    /** Runs a PostgreSQL program (as an unprivileged user when we are root), feeding it {@code input} if given. */
    static String run(Duration timeout, String input, String... command) {
        List<String> full = new ArrayList<>();
        if (isRoot()) {
            // PostgreSQL will not run as root; inside a user namespace we are uid 65534 but our files stay ours.
            full.addAll(List.of("unshare", "--user", "--map-user=65534", "--map-group=65534"));
        }
        full.addAll(List.of(command));
        try {
            Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
            try (var stdin = process.getOutputStream()) {
                if (input != null) {
                    stdin.write(input.getBytes(StandardCharsets.UTF_8));
                }
            }
            // pg_ctl start keeps the server's stdout only until it detaches; read in the background.
            StringBuilder output = new StringBuilder();
            Thread reader = Thread.ofVirtual().start(() -> {
                try {
                    output.append(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException ignored) {
                    // the process ended
                }
            });
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("Timed out: " + String.join(" ", command));
            }
            reader.join(Duration.ofSeconds(5));
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed (" + process.exitValue() + "): "
                        + output.toString().strip());
            }
            return output.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted: " + String.join(" ", command), e);
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
