package dev.parley.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import tools.jackson.databind.JsonNode;

/**
 * WebSocket benchmarks of one node: (1) heap per idle connection with many clients connected; (2) 1:1 messages
 * sent with {@code message.send} as fast as acknowledged (saturation) and at a steady rate, with the latency
 * from send to arrival on the recipient's device; (3) group fan-out to 10 and 100 members: deliveries per
 * second and latency. Every message is stored; latency is measured on this machine's clock at both ends.
 */
final class WsBench {

    private WsBench() {}

    static void run(Bench.Context ctx) throws Exception {
        Api api = ctx.api();
        String wsBase = api.base().replaceFirst("^http", "ws") + "/api/v1/ws?access_token=";
        HttpClient client = HttpClient.newHttpClient();
        StringBuilder report = new StringBuilder();

        int idle = ctx.intOpt("bench.wsConnections");
        report.append(idleMemory(ctx, api, client, wsBase, idle));
        report.append(oneToOne(ctx, api, client, wsBase));
        report.append(fanout(ctx, api, client, wsBase, 10, 10));
        report.append(fanout(ctx, api, client, wsBase, 100, 4));
        ctx.report(report + "\n"
                + ctx.machine("one node, embedded PostgreSQL, server JVM options " + Bench.serverJvmOptions()
                        + "; clients are JDK java.net.http"
                        + " WebSockets in the load generator process on the same machine"));
    }

    /** The server writes {@code type} first in every frame (Frame is a record of type, then data). */
    static final String MESSAGE_NEW = "{\"type\":\"message.new\"";

    static final String BENCH_CONTENT = "\"content\":\"bench@";

    /** An ack's start: its data is {@code {"client_message_id": ..., "message": {...}}}, in that order. */
    static final String ACK_PREFIX = "{\"type\":\"message.ack\",\"data\":{\"client_message_id\":\"";

    /** What a scanned ack completes its send with: only its type is ever read. */
    static final JsonNode ACKED = Api.JSON.createObjectNode().put("type", "message.ack");

    /** A connected device: counts and timestamps what it receives. */
    static final class Device implements WebSocket.Listener {
        final Map<String, Long> ackedAt = new ConcurrentHashMap<>();
        final Latencies latencies = new Latencies();
        final TailCauses.Samples samples = new TailCauses.Samples();
        final AtomicLong received = new AtomicLong();
        volatile WebSocket socket;
        private final StringBuilder partial = new StringBuilder();
        private final Map<String, CompletableFuture<JsonNode>> acks = new ConcurrentHashMap<>();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            if (!last || !partial.isEmpty()) {
                partial.append(data);
                if (!last) {
                    ws.request(1);
                    return null;
                }
            }
            String text;
            if (partial.isEmpty()) {
                text = data.toString();
            } else {
                text = partial.toString();
                partial.setLength(0);
            }
            long now = System.nanoTime();
            // The load generator shares the server's two cores: a delivered message is recognised by a scan for its
            // type and its "bench@<nanos>" content, and an ack by a scan for its type and its client_message_id (the
            // first field of its data), not a full JSON parse, so that the figures measure the server rather than
            // the client's parsing. Other frames (errors) are parsed properly.
            if (text.startsWith(MESSAGE_NEW)) {
                int at = text.indexOf(BENCH_CONTENT);
                if (at > 0) {
                    int from = at + BENCH_CONTENT.length();
                    int to = from;
                    while (to < text.length() && Character.isDigit(text.charAt(to))) {
                        to++;
                    }
                    long stamp = Long.parseLong(text, from, to, 10);
                    latencies.record(now - stamp);
                    samples.record(stamp, now);
                    received.incrementAndGet();
                }
                ws.request(1);
                return null;
            }
            if (text.startsWith(ACK_PREFIX)) {
                int from = ACK_PREFIX.length();
                int to = text.indexOf('"', from);
                CompletableFuture<JsonNode> ack = to < 0 ? null : acks.remove(text.substring(from, to));
                if (ack != null) {
                    ack.complete(ACKED);
                }
                ws.request(1);
                return null;
            }
            JsonNode frame = Api.JSON.readTree(text);
            String type = frame.path("type").asString();
            if ("message.ack".equals(type) || "error".equals(type)) {
                String id = frame.path("data").path("client_message_id").asString();
                CompletableFuture<JsonNode> ack = acks.remove(id);
                if (ack != null) {
                    ack.complete(frame);
                }
            }
            ws.request(1);
            return null;
        }

        CompletableFuture<JsonNode> send(UUID conversation, String clientMessageId) {
            return send(conversation, clientMessageId, System.nanoTime());
        }

        /**
         * {@code stamp}: the time the latency counts from, on this JVM's {@code nanoTime} clock; an open-loop load
         * gives the time the send was due, so that a late load generator shows in the figures rather than hiding.
         */
        CompletableFuture<JsonNode> send(UUID conversation, String clientMessageId, long stamp) {
            return send(conversation, clientMessageId, stamp, "");
        }

        /** As above, the stamp followed by {@code padding} (plain ASCII letters and spaces) in the content. */
        CompletableFuture<JsonNode> send(UUID conversation, String clientMessageId, long stamp, String padding) {
            CompletableFuture<JsonNode> ack = new CompletableFuture<>();
            acks.put(clientMessageId, ack);
            String frame = "{\"type\":\"message.send\",\"data\":{\"conversation_id\":\"" + conversation
                    + "\",\"type\":\"text\",\"client_message_id\":\"" + clientMessageId
                    + "\",\"content\":\"bench@" + stamp + padding + "\"}}";
            synchronized (this) {
                socket.sendText(frame, true).join();
            }
            return ack;
        }
    }

    static Device connect(HttpClient client, String wsBase, Api.User user) {
        Device device = new Device();
        device.socket = client.newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(30))
                .buildAsync(URI.create(wsBase + user.token()), device)
                .join();
        return device;
    }

    private static String idleMemory(Bench.Context ctx, Api api, HttpClient client, String wsBase, int n)
            throws Exception {
        List<Api.User> users = Api.parallel(100, 16, i -> api.register("idle", i));
        long before = heapAfterGc(ctx);
        List<Device> devices = new ArrayList<>(n);
        long started = System.nanoTime();
        for (int i = 0; i < n; i++) {
            devices.add(connect(client, wsBase, users.get(i % users.size())));
            if ((i + 1) % 2000 == 0) {
                System.out.printf("  [idle] %d connected%n", i + 1);
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        long after = heapAfterGc(ctx);
        if (Boolean.getBoolean("bench.wsHistogram")) {
            // Diagnostic: what the server's heap holds while the sockets are open.
            String jcmd =
                    Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
            Process histogram = new ProcessBuilder(
                            jcmd, Long.toString(ctx.server().serverPid().orElseThrow()), "GC.class_histogram")
                    .redirectErrorStream(true)
                    .start();
            new String(histogram.getInputStream().readAllBytes())
                    .lines()
                    .limit(30)
                    .forEach(System.out::println);
        }
        double perConnection = (after - before) / (double) n / 1024.0;
        System.out.printf(
                "idle: %d connections in %.1f s; heap %d -> %d MiB after GC: %.1f KiB per connection%n",
                n, seconds, before >> 20, after >> 20, perConnection);
        devices.forEach(d -> d.socket.sendClose(WebSocket.NORMAL_CLOSURE, "done"));
        return String.format("""

                ### Idle connections

                %,d WebSocket clients (100 users, 100 devices each) connected to one node; server heap in use after a
                full GC, before and after. Aim: under 20 KiB of heap per connection.

                | connections | heap before | heap after | per connection | connect time |
                |---:|---:|---:|---:|---:|
                | %,d | %d MiB | %d MiB | **%.1f KiB** | %.1f s |
                """, n, n, before >> 20, after >> 20, perConnection, seconds);
    }

    private static String oneToOne(Bench.Context ctx, Api api, HttpClient client, String wsBase) throws Exception {
        int pairs = ctx.intOpt("bench.clients");
        PairFigures figures = pairs(ctx, api, client, "", i -> wsBase, i -> wsBase);
        return String.format("""

                ### 1:1 messages over WebSocket

                %d sender/receiver pairs, each in its own direct conversation; `message.send` over the socket, every
                message stored; latency from the send to `message.new` arriving on the recipient's device.
                Aims: >= 5,000 msg/s at saturation with p99 < 100 ms; p99 < 10 ms at a steady 1,000 msg/s.

                %s""", pairs, PairFigures.HEADER + figures.rows(""));
    }

    /** Saturation and steady-rate figures of one 1:1 run. */
    record PairFigures(
            double rate, long delivered, Latencies saturated, int steadyRate, double steadyMeasured, Latencies steady) {

        static final String HEADER = """
                | load | msg/s | delivered | p50 | p90 | p99 | max |
                |---|---:|---:|---:|---:|---:|---:|
                """;

        /** Two table rows; {@code label} (may be empty) prefixes each load's name. */
        String rows(String label) {
            return row(label + "saturation (next send on ack)", rate, delivered, saturated)
                    + row(
                            label + String.format("steady %,d msg/s", steadyRate),
                            steadyMeasured,
                            steady.count(),
                            steady);
        }

        private static String row(String load, double rate, long delivered, Latencies l) {
            return String.format(
                    "| %s | %.0f | %,d | %s | %s | %s | %s |%n",
                    load,
                    rate,
                    delivered,
                    Latencies.ms(l.quantile(0.5)),
                    Latencies.ms(l.quantile(0.9)),
                    Latencies.ms(l.quantile(0.99)),
                    Latencies.ms(l.max()));
        }
    }

    /**
     * {@code bench.clients} sender/receiver pairs, each in its own direct conversation, pair {@code i}'s sender
     * connected at {@code senderBase(i)} and its receiver at {@code receiverBase(i)}: a warm-up, then saturation
     * (each sender sends its next message when the previous one is acknowledged), then a steady total rate.
     */
    static PairFigures pairs(
            Bench.Context ctx,
            Api api,
            HttpClient client,
            String tag,
            IntFunction<String> senderBase,
            IntFunction<String> receiverBase)
            throws Exception {
        int pairs = ctx.intOpt("bench.clients");
        Duration measure = Duration.ofSeconds(ctx.intOpt("bench.duration"));
        List<Api.User> senders = Api.parallel(pairs, 16, i -> api.register("s" + tag, i));
        List<Api.User> receivers = Api.parallel(pairs, 16, i -> api.register("r" + tag, i));
        List<UUID> conversations = Api.parallel(pairs, 16, i -> api.direct(senders.get(i), receivers.get(i)));
        List<Device> out = new ArrayList<>();
        List<Device> in = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            out.add(connect(client, senderBase.apply(i), senders.get(i)));
            in.add(connect(client, receiverBase.apply(i), receivers.get(i)));
        }
        runClosedLoop(out, conversations, Duration.ofSeconds(ctx.intOpt("bench.warmup")));
        in.forEach(d -> d.latencies.clear());
        long deliveredBefore = sum(in);
        long sent = runClosedLoop(out, conversations, measure);
        long delivered = sum(in) - deliveredBefore;
        Latencies saturated = Latencies.merge(in.stream().map(d -> d.latencies).toList());
        double rate = sent / (double) measure.toSeconds();
        System.out.printf("1:1%s saturation: %.0f msg/s, delivery %s%n", tag, rate, saturated.summary());

        int steadyRate = ctx.intOpt("bench.wsSteadyRate");
        in.forEach(d -> d.latencies.clear());
        long steadySent = runOpenLoop(out, conversations, steadyRate, measure);
        Latencies steady = Latencies.merge(in.stream().map(d -> d.latencies).toList());
        System.out.printf("1:1%s steady %d msg/s: delivery %s%n", tag, steadyRate, steady.summary());
        out.forEach(d -> d.socket.sendClose(WebSocket.NORMAL_CLOSURE, "done"));
        in.forEach(d -> d.socket.sendClose(WebSocket.NORMAL_CLOSURE, "done"));
        return new PairFigures(
                rate, delivered, saturated, steadyRate, steadySent / (double) measure.toSeconds(), steady);
    }

    private static String fanout(Bench.Context ctx, Api api, HttpClient client, String wsBase, int members, int senders)
            throws Exception {
        Duration measure = Duration.ofSeconds(Math.max(10, ctx.intOpt("bench.duration") / 2));
        List<Api.User> users = Api.parallel(members, 16, i -> api.register("g" + members, i));
        UUID group = api.group(users.getFirst(), "fan-out " + members, users.subList(1, members));
        List<Device> devices = new ArrayList<>();
        for (Api.User user : users) {
            devices.add(connect(client, wsBase, user));
        }
        List<Device> out = devices.subList(0, senders);
        List<UUID> target = Collections.nCopies(senders, group);
        runClosedLoop(out, target, Duration.ofSeconds(5));
        devices.forEach(d -> d.latencies.clear());
        long before = sum(devices);
        long sent = runClosedLoop(out, target, measure);
        long deliveries = sum(devices) - before;
        Latencies latencies =
                Latencies.merge(devices.stream().map(d -> d.latencies).toList());
        double perSecond = deliveries / (double) measure.toSeconds();
        System.out.printf(
                "fan-out %d: %d messages, %.0f deliveries/s, %s%n", members, sent, perSecond, latencies.summary());
        devices.forEach(d -> d.socket.sendClose(WebSocket.NORMAL_CLOSURE, "done"));
        return String.format(
                """

                ### Group fan-out to %d members

                All %d members connected; %d of them send into the group as fast as acknowledged; every other member's
                device receives each message (the sender's own device gets the ack instead).%s

                | messages/s | deliveries/s | p50 | p90 | p99 | max |
                |---:|---:|---:|---:|---:|---:|
                | %.0f | **%,.0f** | %s | %s | %s | %s |
                """,
                members,
                members,
                senders,
                members == 100 ? " Aim: 75,000 deliveries/s with p99 < 30 ms." : "",
                sent / (double) measure.toSeconds(),
                perSecond,
                Latencies.ms(latencies.quantile(0.5)),
                Latencies.ms(latencies.quantile(0.9)),
                Latencies.ms(latencies.quantile(0.99)),
                Latencies.ms(latencies.max()));
    }

    /** Each device sends into its conversation, the next message when the previous is acknowledged. */
    private static long runClosedLoop(List<Device> devices, List<UUID> conversations, Duration duration)
            throws Exception {
        return closedLoop(
                devices.size(),
                duration,
                i -> devices.get(i).send(conversations.get(i), UUID.randomUUID().toString()));
    }

    /**
     * {@code senders} senders, each with one message in flight ({@code next} sends sender i's next one) until
     * {@code duration} has passed; returns how many were acknowledged.
     */
    static long closedLoop(int senders, Duration duration, IntFunction<CompletableFuture<JsonNode>> next)
            throws Exception {
        long end = System.nanoTime() + duration.toNanos();
        AtomicLong sent = new AtomicLong();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            CountDownLatch done = new CountDownLatch(senders);
            for (int i = 0; i < senders; i++) {
                int sender = i;
                pool.submit(() -> {
                    try {
                        while (System.nanoTime() < end) {
                            JsonNode ack = next.apply(sender).get(30, TimeUnit.SECONDS);
                            if ("message.ack".equals(ack.path("type").asString())) {
                                sent.incrementAndGet();
                            }
                        }
                    } catch (Exception e) {
                        System.err.println("sender stopped: " + e);
                    } finally {
                        done.countDown();
                    }
                    return null;
                });
            }
            done.await();
        }
        return sent.get();
    }

    /** Sends at a fixed total rate, round robin over the devices, without waiting for acknowledgements. */
    private static long runOpenLoop(List<Device> devices, List<UUID> conversations, int rate, Duration duration) {
        long interval = 1_000_000_000L / rate;
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        long sent = 0;
        List<CompletableFuture<JsonNode>> pending = new ArrayList<>();
        for (long next = start; next < end; next += interval) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            int i = (int) (sent % devices.size());
            pending.add(
                    devices.get(i).send(conversations.get(i), UUID.randomUUID().toString()));
            sent++;
        }
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
                .orTimeout(60, TimeUnit.SECONDS)
                .join();
        return sent;
    }

    private static long sum(List<Device> devices) {
        return devices.stream().mapToLong(d -> d.received.get()).sum();
    }

    /** Heap in use after a full collection, read from the server's own metrics after asking it to collect. */
    private static long heapAfterGc(Bench.Context ctx) throws Exception {
        long pid = ctx.server().serverPid().orElseThrow(() -> new IllegalStateException("needs a managed server"));
        for (int i = 0; i < 2; i++) {
            String jcmd =
                    Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
            new ProcessBuilder(jcmd, Long.toString(pid), "GC.run")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start()
                    .waitFor(60, TimeUnit.SECONDS);
        }
        String metrics = ctx.api().raw("/metrics");
        long used = 0;
        for (String line : metrics.split("\n")) {
            if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                used += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return used;
    }
}
