package dev.parley.support;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Assumptions;

/**
 * Tests that need the Redis at 127.0.0.1:6379 call {@link #require()}: without it they are skipped, with the
 * reason, on a developer machine, and fail on CI ({@code CI=true}), where Redis is part of the setup.
 */
public final class RedisAvailable {

    public static final String URL = "redis://127.0.0.1:6379";

    private RedisAvailable() {}

    public static void require() {
        String problem = problem();
        if (problem == null) {
            return;
        }
        String reason = "Redis at 127.0.0.1:6379 is unreachable (" + problem + ")";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(reason + "; on CI the multi-node tests need it");
        }
        Assumptions.abort(reason + "; start one to run this test");
    }

    private static String problem() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", 6379), 1_000);
            socket.setSoTimeout(1_000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] reply = in.readNBytes(7);
            String text = new String(reply, StandardCharsets.US_ASCII);
            return text.startsWith("+PONG") ? null : "answered " + text.strip();
        } catch (IOException e) {
            return e.toString();
        }
    }
}
