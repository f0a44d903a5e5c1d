package dev.parley.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The server under test: either one we start (the packaged jar in its own JVM, on a loopback port, with a fresh
 * temporary data folder and therefore a fresh embedded PostgreSQL) and stop by PID afterwards, or one already
 * running at a given URL that we leave alone.
 */
final class BenchServer implements AutoCloseable {

    final String baseUrl;
    /** JDBC URL of the server's database (user postgres); null when unknown. */
    final String jdbcUrl;

    private final Process process;
    private final Path dataDir;
    private final Thread shutdownHook;
    /** The PostgreSQL the server uses instead of its embedded one (bench.database), or null. */
    private ExternalDatabase external;
    /** The started server's stop-the-world pauses and GC (unified JVM log, monotonic nanos), or null. */
    private Path pauseLog;

    /** A scratch database on a running PostgreSQL: its JDBC URL (user postgres, trust or password) and postmaster. */
    record ExternalDatabase(String jdbcUrl, String password, Optional<Long> postmaster) {}

    private BenchServer(String baseUrl, String jdbcUrl, Process process, Path dataDir) {
        this.baseUrl = baseUrl;
        this.jdbcUrl = jdbcUrl;
        this.process = process;
        this.dataDir = dataDir;
        this.shutdownHook = process == null ? null : new Thread(this::stop);
        if (shutdownHook != null) {
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
    }

    static BenchServer external(String url, String jdbcUrl) throws Exception {
        String base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        System.out.println("Using the running server at " + base);
        awaitReady(base, null, Duration.ofSeconds(30));
        return new BenchServer(base, jdbcUrl == null || jdbcUrl.isBlank() ? null : jdbcUrl, null, null);
    }

    /** Starts {@code java -jar <jar>} with the same JDK as this JVM and waits for {@code /health/ready}. */
    static BenchServer start(Path jar, Path workDir, String name, List<String> jvmArgs, List<String> appArgs)
            throws Exception {
        return start(jar, workDir, name, jvmArgs, appArgs, Map.of());
    }

    /** {@code environment}: extra variables for the server, for what must not show on its command line. */
    static BenchServer start(
            Path jar,
            Path workDir,
            String name,
            List<String> jvmArgs,
            List<String> appArgs,
            Map<String, String> environment)
            throws Exception {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("No server jar at " + jar + "; build it with ./mvnw -Pbench verify");
        }
        return start(jar, workDir, name, jvmArgs, appArgs, environment, null);
    }

    /** As above; with {@code external}, the server uses that database rather than an embedded PostgreSQL. */
    static BenchServer start(
            Path jar,
            Path workDir,
            String name,
            List<String> jvmArgs,
            List<String> appArgs,
            Map<String, String> environment,
            ExternalDatabase external)
            throws Exception {
        int port = freePort();
        int pgPort = freePort();
        Path dataDir = Files.createTempDirectory("parley-bench-");
        Path logs = Files.createDirectories(workDir);
        Path log = logs.resolve("server-" + name + ".log");
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>();
        command.add(java);
        // Every stop-the-world pause with the end time on the monotonic clock this JVM's nanoTime reads, so a
        // benchmark can line pauses up with its slow requests (TailCauses); GC lines for people reading the file.
        Path pauses = logs.resolve("server-" + name + "-pauses.log").toAbsolutePath();
        Files.deleteIfExists(pauses);
        command.add("-Xlog:safepoint=info,gc=info:file=" + pauses + ":timenanos,tags");
        command.addAll(jvmArgs);
        command.add("-jar");
        command.add(jar.toString());
        command.add("--parley.embedded-postgres.port=" + pgPort);
        // Unpacked PostgreSQL binaries are kept between runs; only the data folder is fresh.
        command.add("--parley.embedded-postgres.binaries-dir="
                + workDir.resolve("pg-dist").toAbsolutePath());
        command.add("--logging.level.root=WARN");
        command.add("--logging.level.dev.parley=INFO");
        command.addAll(appArgs);
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("SERVER_PORT", String.valueOf(port));
        builder.environment().put("PARLEY_DATA_DIR", dataDir.toString());
        builder.environment().putAll(environment);
        if (external != null) {
            builder.environment().put("SPRING_DATASOURCE_URL", external.jdbcUrl());
            builder.environment().put("SPRING_DATASOURCE_USERNAME", "postgres");
            builder.environment().put("SPRING_DATASOURCE_PASSWORD", external.password());
        }
        System.out.printf(
                "Starting the server: port %d, PostgreSQL port %d, data %s, log %s%n", port, pgPort, dataDir, log);
        Process process = builder.start();
        String base = "http://127.0.0.1:" + port;
        BenchServer server = new BenchServer(
                base,
                external != null ? external.jdbcUrl() : "jdbc:postgresql://127.0.0.1:" + pgPort + "/postgres",
                process,
                dataDir);
        server.external = external;
        server.pauseLog = pauses;
        try {
            long started = System.nanoTime();
            awaitReady(base, process, Duration.ofMinutes(3));
            System.out.printf(
                    "Server ready (pid %d) after %.1f s%n", process.pid(), (System.nanoTime() - started) / 1e9);
        } catch (Exception e) {
            server.close();
            throw new IllegalStateException(e.getMessage() + "; see " + log, e);
        }
        return server;
    }

    /**
     * A connection as postgres: to a server we started, with the password its embedded PostgreSQL keeps in the
     * data folder; to a given one, with {@code -Dbench.jdbcPassword} (default postgres).
     */
    Connection database() throws SQLException {
        if (jdbcUrl == null) {
            throw new IllegalStateException("No database URL: give bench.jdbcUrl");
        }
        return DriverManager.getConnection(jdbcUrl, "postgres", jdbcPassword());
    }

    String jdbcPassword() {
        if (external != null) {
            return external.password();
        }
        if (dataDir == null) {
            return System.getProperty("bench.jdbcPassword", "postgres");
        }
        try {
            return Files.readString(dataDir.resolve("postgres-password")).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("The embedded PostgreSQL's password is not in " + dataDir, e);
        }
    }

    /** The started server's pause log (see {@link #start}), or null for a running one. */
    Path pauseLog() {
        return pauseLog;
    }

    boolean managed() {
        return process != null;
    }

    Optional<Long> serverPid() {
        return process == null ? Optional.empty() : Optional.of(process.pid());
    }

    /** The embedded PostgreSQL's postmaster, from its pid file. */
    Optional<Long> postgresPid() {
        if (external != null) {
            return external.postmaster();
        }
        if (dataDir == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(Files.readAllLines(dataDir.resolve("postgres/postmaster.pid"))
                    .getFirst()
                    .strip()));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static void awaitReady(String base, Process process, Duration timeout) throws Exception {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (process != null && !process.isAlive()) {
                throw new IllegalStateException("The server exited with status " + process.exitValue());
            }
            try {
                HttpResponse<String> r = http.send(
                        HttpRequest.newBuilder(URI.create(base + "/health/ready"))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
                last = r.statusCode() + " " + r.body();
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("Server not ready after " + timeout + ": " + last);
    }

    @Override
    public void close() {
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException shuttingDown) {
                // the hook itself is running
            }
        }
        stop();
    }

    private synchronized void stop() {
        if (process == null) {
            return;
        }
        // A shared PostgreSQL is never stopped; only the embedded one, if the server left it running.
        Optional<Long> postgres = external == null ? postgresPid() : Optional.empty();
        if (process.isAlive()) {
            System.out.println("Stopping the server (pid " + process.pid() + ")");
            process.destroy(); // SIGTERM: graceful shutdown, which also stops the embedded PostgreSQL
            try {
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    System.out.println("The server did not stop in 60 s; killing pid " + process.pid());
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // A server killed before it stopped PostgreSQL leaves the postmaster running on the data folder.
        postgres.flatMap(ProcessHandle::of).filter(BenchServer::running).ifPresent(pm -> {
            System.out.println("Stopping the leftover PostgreSQL (pid " + pm.pid() + ")");
            pm.destroy();
            pm.onExit().orTimeout(30, TimeUnit.SECONDS).exceptionally(t -> null).join();
        });
        deleteQuietly(dataDir);
    }

    /** Alive and not a zombie: a stopped postmaster may linger unreaped when the container's init does not reap. */
    private static boolean running(ProcessHandle process) {
        try {
            String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
            return process.isAlive() && stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.out.println("Could not delete " + dir + ": " + e.getMessage());
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
