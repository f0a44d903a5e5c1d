package dev.parley.support;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.fail;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.TimeoutOptions;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A {@code redis-server} process of a test's own, on a free loopback port, without persistence, so a test can
 * kill and restart it without touching the machine's shared Redis. Without the binary the test is skipped with
 * the reason on a developer machine, and fails on CI ({@code CI=true}), which has it.
 */
public final class RedisServer implements AutoCloseable {

    private final Path binary;
    private final int port;
    private final Path log;
    private final List<String> options;
    /** A Sentinel's configuration file (Sentinel mode), or null for a data server. */
    private final Path sentinelConfig;

    private Process process;

    private RedisServer(Path binary, int port, Path log, List<String> options, Path sentinelConfig) {
        this.binary = binary;
        this.port = port;
        this.log = log;
        this.options = options;
        this.sentinelConfig = sentinelConfig;
    }

    /**
     * Starts one, or skips (fails on CI) when {@code redis-server} is not installed. {@code options} go on its
     * command line ({@code "--requirepass", "secret"}).
     */
    public static RedisServer start(String... options) {
        return startWith(null, options);
    }

    /**
     * A Sentinel on a free port (again skipped without the binary): {@code config} is the file it reads and
     * rewrites, holding at least its {@code sentinel monitor} line.
     */
    public static RedisServer startSentinel(Path config) {
        return startWith(config);
    }

    private static RedisServer startWith(Path sentinelConfig, String... options) {
        Path binary = find();
        if (binary == null) {
            String reason = "redis-server is not installed (neither /usr/bin/redis-server nor on PATH)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(reason + "; on CI the Redis tests that start their own servers need it");
            }
            Assumptions.abort(reason + "; install it to run this test");
        }
        try {
            Path log = Files.createTempFile("parley-redis-", ".log");
            RedisServer server = new RedisServer(binary, freePort(), log, List.of(options), sentinelConfig);
            server.startProcess();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path find() {
        Path usual = Path.of("/usr/bin/redis-server");
        if (Files.isExecutable(usual)) {
            return usual;
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                Path candidate = Path.of(dir, "redis-server");
                if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        return null;
    }

    /** A port free on loopback right now. */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /**
     * A client of this server with the options config/RedisConfig gives the app's (commands rejected at once while
     * disconnected, two-second timeout), so an outage looks to code under test as it would in production.
     */
    public RedisClient client() {
        RedisClient client = RedisClient.create(url());
        client.setOptions(ClientOptions.builder()
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(Duration.ofSeconds(2)))
                .build());
        return client;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    private void startProcess() throws IOException {
        List<String> command = new ArrayList<>(List.of(binary.toString()));
        if (sentinelConfig != null) {
            command.addAll(List.of(sentinelConfig.toString(), "--sentinel"));
        }
        command.addAll(List.of("--port", Integer.toString(port), "--bind", "127.0.0.1", "--protected-mode", "yes"));
        if (sentinelConfig == null) {
            // A replica still writes the RDB of its full sync to its folder: keep that out of the working directory.
            command.addAll(List.of(
                    "--save", "", "--appendonly", "no", "--dir", log.getParent().toString()));
        }
        command.addAll(options);
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        try {
            await().atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException("redis-server exited with " + process.exitValue()
                                    + "; log: " + Files.readString(log));
                        }
                        return pong();
                    });
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
    }

    /** Kills the process by its PID at once (SIGKILL, as a crash would) and waits until it is gone. */
    public void kill() {
        stop();
    }

    /** Starts a fresh, empty server on the same port. */
    public void restart() {
        try {
            startProcess();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void stop() {
        if (process == null) {
            return;
        }
        ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroyForcibly);
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("redis-server " + process.pid() + " did not exit");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code FLUSHALL}: every key gone while the server and its connections stay up. */
    public void flushAll() {
        try {
            String reply = command("FLUSHALL", 3, 5_000);
            if (!reply.equals("+OK")) {
                throw new IllegalStateException("FLUSHALL answered " + reply);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Up: it answers PING, or asks for the password first ({@code -NOAUTH}). */
    private boolean pong() {
        try {
            String reply = command("PING", 5, 500);
            return reply.equals("+PONG") || reply.equals("-NOAU");
        } catch (IOException e) {
            return false;
        }
    }

    /** One inline command on a connection of its own; the first {@code replyBytes} bytes of the reply. */
    private String command(String command, int replyBytes, int timeoutMillis) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            OutputStream out = socket.getOutputStream();
            out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new String(socket.getInputStream().readNBytes(replyBytes), StandardCharsets.US_ASCII);
        }
    }

    @Override
    public void close() {
        try {
            stop();
        } finally {
            try {
                Files.deleteIfExists(log);
            } catch (IOException ignored) {
                // a temp file left behind is harmless
            }
        }
    }
}
