package dev.parley.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * <p>Instances are shared per data folder within one JVM (two application contexts in one test JVM use the
 * same server) and reference counted.
 */
public final class EmbeddedPostgres implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgres.class);
    private static final Map<Path, EmbeddedPostgres> RUNNING = new ConcurrentHashMap<>();

    private final Path pgData;
    private final Path binDir;
    private final int port;
    private int references;

    private EmbeddedPostgres(Path pgData, Path binDir, int port) {
        this.pgData = pgData;
        this.binDir = binDir;
        this.port = port;
    }

    /** Starts (or joins) the server whose data lives under {@code dataDir/postgres}. */
    public static synchronized EmbeddedPostgres obtain(Path dataDir, Path binariesDir, int requestedPort,
            Duration startTimeout) {
        Path root = dataDir.toAbsolutePath().normalize();
        EmbeddedPostgres existing = RUNNING.get(root);
        if (existing != null) {
            existing.references++;
            return existing;
        }
        try {
            Files.createDirectories(root);
            Path binDir = extractBinaries(binariesDir == null ? root.resolve("pg-dist") : binariesDir.toAbsolutePath());
            Path pgData = root.resolve("postgres");
            int port = requestedPort > 0 ? requestedPort : freePort();
            EmbeddedPostgres pg = new EmbeddedPostgres(pgData, binDir, port);
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

    @Override
    public void close() {
        synchronized (EmbeddedPostgres.class) {
            if (--references > 0) {
                return;
            }
            RUNNING.values().remove(this);
        }
        try {
            run(Duration.ofSeconds(60), pgCtl(), "-D", pgData.toString(), "-m", "fast", "-w", "stop");
            log.info("Embedded PostgreSQL stopped");
        } catch (RuntimeException e) {
            log.warn("Embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
        }
    }

    private void start(Duration timeout) throws IOException {
        if (!Files.exists(pgData.resolve("PG_VERSION"))) {
            Files.createDirectories(pgData);
            Files.setPosixFilePermissions(pgData, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
            log.info("Initialising embedded PostgreSQL data in {}", pgData);
            run(timeout, binDir.resolve("bin/initdb").toString(), "-D", pgData.toString(), "-U", "postgres",
                    "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync");
        }
        stopLeftover(timeout);
        Path logFile = pgData.getParent().resolve("postgres.log");
        String options = "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=''"
                + " -c max_connections=200 -c shared_buffers=256MB";
        run(timeout, pgCtl(), "-D", pgData.toString(), "-l", logFile.toString(), "-o", options,
                "-w", "-t", String.valueOf(timeout.toSeconds()), "start");
        log.info("Embedded PostgreSQL listening on 127.0.0.1:{} (data in {})", port, pgData);
    }

    /** A JVM killed without a shutdown leaves its server running on the data folder; stop it first. */
    private void stopLeftover(Duration timeout) {
        if (!Files.exists(pgData.resolve("postmaster.pid"))) {
            return;
        }
        try {
            run(timeout, pgCtl(), "-D", pgData.toString(), "status");
        } catch (RuntimeException notRunning) {
            return;
        }
        log.warn("A PostgreSQL server left over from an earlier run holds {}; stopping it", pgData);
        run(timeout, pgCtl(), "-D", pgData.toString(), "-m", "fast", "-w", "stop");
    }

    private String pgCtl() {
        return binDir.resolve("bin/pg_ctl").toString();
    }

    private static Path extractBinaries(Path distRoot) throws IOException {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        String resource = arch.contains("aarch64") || arch.contains("arm64")
                ? "postgres-linux-arm_64.txz" : "postgres-linux-x86_64.txz";
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
                    .redirectErrorStream(true).start();
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

    private static void run(Duration timeout, String... command) {
        List<String> full = new ArrayList<>();
        if (isRoot()) {
            // PostgreSQL will not run as root; inside a user namespace we are uid 65534 but our files stay ours.
            full.addAll(List.of("unshare", "--user", "--map-user=65534", "--map-group=65534"));
        }
        full.addAll(List.of(command));
        try {
            Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
            process.getOutputStream().close();
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
                throw new IllegalStateException(String.join(" ", command) + " failed (" + process.exitValue()
                        + "): " + output.toString().strip());
            }
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
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
