package dev.parley.bench;

import com.sun.net.httpserver.HttpServer;
import dev.parley.push.FcmStandIn;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code bench.push}, to measure a benchmark with push notifications and webhooks on and off: empty leaves the
 * server's defaults (push on, no provider, no webhook); {@code off} starts it with
 * {@code --parley.push.enabled=false} (no notify consumer, no push workers, no webhooks); {@code on} points FCM at
 * a stand-in and webhooks at a receiver that answers 204, both in the benchmark's JVM, and the everyday benchmark
 * registers an FCM device for each of its users.
 */
final class PushSwitch {

    private static FcmStandIn fcm;
    private static HttpServer hooks;
    private static final AtomicLong deliveries = new AtomicLong();

    private PushSwitch() {}

    static boolean on() {
        return fcm != null;
    }

    /** The server's arguments for {@code mode}; starts the stand-in and the receiver when on. */
    static List<String> serverArgs(String mode, Path workDir) throws IOException {
        switch (mode) {
            case "" -> {
                return List.of();
            }
            case "off" -> {
                return List.of("--parley.push.enabled=false");
            }
            case "on" -> {
                try {
                    fcm = new FcmStandIn(workDir.resolve("push-switch-standin"));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                fcm.stopRecording();
                hooks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
                hooks.createContext("/hooks", exchange -> {
                    exchange.getRequestBody().readAllBytes();
                    deliveries.incrementAndGet();
                    exchange.sendResponseHeaders(204, -1);
                    exchange.close();
                });
                hooks.start();
                List<String> args = new ArrayList<>(fcm.serverArguments());
                args.addAll(List.of(
                        "--parley.webhook.url=http://127.0.0.1:"
                                + hooks.getAddress().getPort() + "/hooks",
                        "--parley.webhook.secret=bench-webhook-secret-0123456789"));
                return args;
            }
            default -> throw new IllegalArgumentException("bench.push: on, off or empty, not " + mode);
        }
    }

    /** What the stand-ins saw, for the report. */
    static String seen() {
        return on()
                ? String.format(
                        "push on: FCM stand-in accepted %,d pushes, webhook receiver %,d deliveries",
                        fcm.accepted(), deliveries.get())
                : "";
    }

    /** Stops the stand-in and the receiver (their threads would keep the benchmark's JVM alive). */
    static void stop() {
        if (fcm != null) {
            fcm.close();
            fcm = null;
        }
        if (hooks != null) {
            hooks.stop(0);
            hooks = null;
        }
    }
}
