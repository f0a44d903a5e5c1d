package dev.parley.support;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's HAProxy in front of Parley nodes on loopback, as deploy/haproxy.cfg sets it up: round robin, no
 * stickiness, WebSocket tunnels, a node in rotation only while its {@code /health/ready} answers 200 (checked every
 * 500 ms here, two checks to go down or up), connection failures redispatched to another node. A stats page on a
 * port of its own says which nodes it holds up. Started in the foreground and stopped by its PID. Without
 * {@code haproxy} a test is skipped with the reason, and fails on CI ({@code CI=true}).
 */
public final class HaProxy implements AutoCloseable {

    private static final Path BINARY = Path.of("/usr/sbin/haproxy");
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final int port;
    private final int statsPort;

    private HaProxy(Process process, int port, int statsPort) {
        this.process = process;
        this.port = port;
        this.statsPort = statsPort;
    }

    /** Skips (or fails on CI) when HAProxy is not installed. */
    public static void require() {
        if (Files.isExecutable(BINARY)) {
            return;
        }
        String reason = BINARY + " is not installed (Debian's haproxy)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(reason + "; on CI the rolling restart test needs it (.ci/run installs it)");
        }
        Assumptions.abort(reason + "; install it to run this test");
    }

    /** Starts HAProxy in front of the nodes on these loopback ports, named n1, n2, ... */
    public static HaProxy start(Path dir, List<Integer> nodePorts) throws IOException {
        require();
        int port = freePort();
        int statsPort = freePort();
        StringBuilder servers = new StringBuilder();
        for (int i = 0; i < nodePorts.size(); i++) {
            servers.append("    server n")
                    .append(i + 1)
                    .append(" 127.0.0.1:")
                    .append(nodePorts.get(i))
                    .append('\n');
        }
        String config = """
                global
                    maxconn 2000
                defaults
                    mode http
                    timeout connect 2s
                    timeout client 65s
                    timeout server 65s
                    timeout tunnel 1h
                    timeout client-fin 5s
                    timeout http-request 10s
                    timeout http-keep-alive 10s
                    retries 2
                    option redispatch
                frontend api
                    bind 127.0.0.1:%d
                    default_backend parley
                frontend stats
                    bind 127.0.0.1:%d
                    stats enable
                    stats uri /stats
                backend parley
                    balance roundrobin
                    option httpchk
                    http-check send meth GET uri /health/ready ver HTTP/1.1 hdr Host parley
                    http-check expect status 200
                    default-server check inter 500ms fall 2 rise 2
                %s""".formatted(port, statsPort, servers);
        Files.createDirectories(dir);
        Path file = dir.resolve("haproxy.cfg");
        Files.writeString(file, config);
        Process process = new ProcessBuilder(BINARY.toString(), "-db", "-f", file.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("haproxy.log").toFile())
                .start();
        HaProxy proxy = new HaProxy(process, port, statsPort);
        Awaitility.await("HAProxy listening (log " + dir.resolve("haproxy.log") + ")")
                .atMost(Duration.ofSeconds(10))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("haproxy exited with " + process.exitValue());
                    }
                    return !proxy.states().isEmpty();
                });
        return proxy;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public String wsUrl() {
        return "ws://127.0.0.1:" + port + "/api/v1/ws";
    }

    /** What HAProxy thinks of each node now (n1: UP, DOWN, ...), from its stats page; empty while it is not up. */
    public Map<String, String> states() {
        Map<String, String> states = new TreeMap<>();
        try {
            HttpResponse<String> response = HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + statsPort + "/stats;csv"))
                            .timeout(Duration.ofSeconds(2))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            for (String line : response.body().split("\n")) {
                String[] fields = line.split(",", -1);
                // pxname,svname,...; status is field 17
                if (fields.length > 17 && fields[0].equals("parley") && fields[1].matches("n\\d+")) {
                    states.put(fields[1], fields[17]);
                }
            }
        } catch (IOException e) {
            return Map.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return states;
    }

    /** Waits until HAProxy holds the node (n1, n2, ...) in this state (UP; DOWN ...). */
    public void awaitState(String node, String state, Duration atMost) {
        Awaitility.await(node + " " + state + " in HAProxy")
                .atMost(atMost)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> states().getOrDefault(node, "").startsWith(state));
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
