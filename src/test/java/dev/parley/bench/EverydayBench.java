package dev.parley.bench;

import dev.parley.bench.WsBench.Device;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import tools.jackson.databind.JsonNode;

/**
 * Everyday load over WebSocket, as many independent people make it: {@code bench.users} users, each with
 * {@code bench.partners} direct partners and one connected device, each message to a random partner of a random
 * user. Fixed offered rates ({@code bench.rates}, open loop: the latency counts from when a send was due, so a late
 * load generator shows) and saturation (each user one message in flight); then a 10-member group saturated (8 in
 * flight) and at 100 msg/s, and a 100-member group saturated (4 in flight). Per run: send-to-arrival latency on the
 * recipient's socket, and the CPU of the server and of PostgreSQL per message, from {@code /proc}. With
 * {@code bench.prefill} the database first holds that many messages (with their events and idempotency keys) in
 * the users' conversations, since the cost of a send grows with the tables.
 */
final class EverydayBench {

    /** 100-byte texts, as the issue measured: the stamp is about 20 characters of them. */
    private static final String PADDING = " " + "x".repeat(79);

    private EverydayBench() {}

    /** One measured load. */
    record Row(
            String scenario,
            String offered,
            double messagesPerSecond,
            double deliveriesPerSecond,
            Latencies latencies,
            double serverMsPerMessage,
            double postgresMsPerMessage,
            String cores,
            String database,
            String tail) {

        static final String HEADER = """
                | scenario | offered | msg/s | deliveries/s | p50 | p99 | p99.9 | max | server CPU/msg | PG CPU/msg |
                |---|---:|---:|---:|---:|---:|---:|---:|---:|---:|
                """;

        String line() {
            return String.format(
                    "| %s | %s | %,.0f | %,.0f | %s | %s | %s | %s | %.3f ms | %.3f ms |%n",
                    scenario,
                    offered,
                    messagesPerSecond,
                    deliveriesPerSecond,
                    Latencies.ms(latencies.quantile(0.5)),
                    Latencies.ms(latencies.quantile(0.99)),
                    Latencies.ms(latencies.quantile(0.999)),
                    Latencies.ms(latencies.max()),
                    serverMsPerMessage,
                    postgresMsPerMessage);
        }

        String detail() {
            return String.format("- %s (%s): CPU %s; PostgreSQL %s%n%s", scenario, offered, cores, database, tail);
        }
    }

    /** The users' direct conversations: {@code mine.get(u)} are user u's, one per partner. */
    record People(List<Api.User> users, List<List<UUID>> mine, List<UUID> directs, List<UUID> senders) {}

    static void run(Bench.Context ctx) throws Exception {
        Api api = ctx.api();
        String wsBase = api.base().replaceFirst("^http", "ws") + "/api/v1/ws?access_token=";
        HttpClient client = HttpClient.newHttpClient();
        Duration warmup = Duration.ofSeconds(ctx.intOpt("bench.warmup"));
        Duration measure = Duration.ofSeconds(ctx.intOpt("bench.duration"));
        long prefill = Long.parseLong(ctx.opt("bench.prefill"));

        People people = people(ctx, api);
        if (prefill > 0) {
            Prefill.run(ctx.server(), people.directs(), people.senders(), prefill);
        }
        List<Device> devices = new ArrayList<>();
        for (Api.User user : people.users()) {
            devices.add(WsBench.connect(client, wsBase, user));
        }
        List<Row> rows = new ArrayList<>();
        // Warm-up (JIT, pools, caches) at the middle rate; not recorded.
        openLoop(people.mine(), devices, 1000, warmup);
        List<String> scenarios = List.of(ctx.opt("bench.scenarios").split(","));
        for (String rate : scenarios.contains("rates") ? ctx.opt("bench.rates").split(",") : new String[0]) {
            int r = Integer.parseInt(rate.strip());
            rows.add(measured(
                    ctx,
                    "1:1, " + people.users().size() + " users",
                    r + " msg/s",
                    devices,
                    devices,
                    () -> openLoop(people.mine(), devices, r, measure)));
        }
        if (scenarios.contains("saturation")) {
            rows.add(measured(
                    ctx,
                    "1:1, " + people.users().size() + " users",
                    "saturation (1 in flight per user)",
                    devices,
                    devices,
                    () -> closedLoop(people.mine(), devices, measure)));
        }
        devices.forEach(d -> d.socket.sendClose(WebSocket.NORMAL_CLOSURE, "done"));

        if (scenarios.contains("group10")) {
            rows.addAll(group(ctx, api, client, wsBase, 10, 8, 100, warmup, measure));
        }
        if (scenarios.contains("group100")) {
            rows.addAll(group(ctx, api, client, wsBase, 100, 4, 0, warmup, measure));
        }

        StringBuilder body = new StringBuilder(String.format(
                """
                ## everyday: many independent users, small and large groups%s

                %d users, each with %d direct partners (%,d direct conversations) and one connected device; each
                message goes to a random partner of a random user, `message.send` over the socket, every message
                stored, %d-character texts. Fixed offered rates are open loop: latency counts from when a send was
                due, so a late load generator shows up in the figures. Saturation: every user keeps one message in
                flight. Groups: all members connected, the given number of senders keep one message in flight each
                (the 100 msg/s row sends round robin from every member). Latency: send to arrival of `message.new`
                on the recipient's socket. CPU per message: CPU seconds of the server JVM and of PostgreSQL (every
                process of ours under its postmaster, from `/proc`) over the window, divided by the messages sent.
                %s messages in the database before the load.

                """,
                label(ctx),
                people.users().size(),
                ctx.intOpt("bench.partners"),
                people.directs().size(),
                ("bench@" + System.nanoTime() + PADDING).length(),
                String.format("%,d", prefill)));
        body.append(Row.HEADER);
        rows.forEach(r -> body.append(r.line()));
        body.append('\n');
        rows.forEach(r -> body.append(r.detail()));
        if (PushSwitch.on()) {
            body.append("- ").append(PushSwitch.seen()).append('\n');
        }
        body.append('\n')
                .append(ctx.machine("one node, server JVM options " + Bench.serverJvmOptions() + ", database "
                        + (ctx.opt("bench.database").isEmpty()
                                ? "embedded PostgreSQL"
                                : "a scratch database on " + ctx.opt("bench.database"))
                        + ", warm-up " + warmup.toSeconds() + " s, " + measure.toSeconds() + " s per row"));
        System.out.println(body);
        if (Boolean.parseBoolean(ctx.opt("bench.write"))) {
            Report.write(ctx.root().resolve("docs/benchmarks.md"), "everyday" + suffix(ctx), body.toString());
        }
    }

    private static String label(Bench.Context ctx) {
        String label = ctx.opt("bench.label");
        return label.isEmpty() ? "" : " (" + label + ")";
    }

    private static String suffix(Bench.Context ctx) {
        String label = ctx.opt("bench.label");
        return label.isEmpty() ? "" : "-" + label.replaceAll("[^A-Za-z0-9]+", "-");
    }

    /** Users and the pairs (i, i + d) for d = 1 .. partners / 2: each user has {@code partners} partners. */
    private static People people(Bench.Context ctx, Api api) throws Exception {
        int n = ctx.intOpt("bench.users");
        int partners = ctx.intOpt("bench.partners");
        System.out.printf("Setup: %d users with %d partners each%n", n, partners);
        List<Api.User> users = Api.parallel(n, 16, i -> api.register("ev", i));
        if (PushSwitch.on()) {
            // Every user is connected during the load, so the rule sends none of them a push: this measures the
            // consumer, the rule and the webhooks on every message, not the provider requests.
            api.fcmDevices(users);
        }
        List<int[]> pairs = new ArrayList<>();
        for (int d = 1; d <= partners / 2; d++) {
            for (int i = 0; i < n; i++) {
                pairs.add(new int[] {i, (i + d) % n});
            }
        }
        List<UUID> directs =
                Api.parallel(pairs.size(), 16, i -> api.direct(users.get(pairs.get(i)[0]), users.get(pairs.get(i)[1])));
        List<List<UUID>> mine = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            mine.add(new ArrayList<>());
        }
        List<UUID> senders = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i++) {
            mine.get(pairs.get(i)[0]).add(directs.get(i));
            mine.get(pairs.get(i)[1]).add(directs.get(i));
            senders.add(users.get(pairs.get(i)[0]).id());
        }
        return new People(users, mine, directs, senders);
    }

    /** One load's figures: the CPU meters run exactly over the load; arrivals are awaited a moment after. */
    private static Row measured(
            Bench.Context ctx, String scenario, String offered, List<Device> senders, List<Device> receivers, Load load)
            throws Exception {
        receivers.forEach(d -> d.latencies.clear());
        receivers.forEach(d -> d.samples.clear());
        long receivedBefore = received(receivers);
        CpuMeter cpu = new CpuMeter(
                ctx.server().serverPid(),
                ctx.server().postgresPid(),
                ctx.opt("bench.database").isEmpty() ? null : ScratchDatabase.name(ctx.server().jdbcUrl));
        DbStats db = new DbStats(ctx.server());
        TailCauses tail = TailCauses.start(ctx.server());
        cpu.start();
        db.start();
        long started = System.nanoTime();
        Instant from = Instant.now();
        long sent = load.run();
        long ended = System.nanoTime();
        double seconds = (ended - started) / 1e9;
        if (ctx.profile() != null) {
            ctx.profile().window(from, Instant.now());
        }
        Map<String, Double> used = cpu.stopSeconds();
        String dbFigure = db.perRequest(sent);
        awaitQuiet(receivers);
        long deliveries = received(receivers) - receivedBefore;
        tail.close();
        Latencies latencies =
                Latencies.merge(receivers.stream().map(d -> d.latencies).toList());
        String causes = tail.summary(
                TailCauses.Samples.merge(receivers.stream().map(d -> d.samples).toList()),
                latencies.quantile(0.99),
                started,
                ended);
        Row row = new Row(
                scenario,
                offered,
                sent / seconds,
                deliveries / seconds,
                latencies,
                used.getOrDefault("server JVM", 0.0) * 1000 / Math.max(1, sent),
                used.getOrDefault("postgres", 0.0) * 1000 / Math.max(1, sent),
                CpuMeter.format(used),
                dbFigure,
                causes);
        System.out.print(Row.HEADER + row.line() + row.detail());
        return row;
    }

    interface Load {
        long run() throws Exception;
    }

    /** Waits until nothing more arrives for 300 ms (at most 10 s): the messages of the window's end. */
    private static void awaitQuiet(List<Device> devices) throws InterruptedException {
        long last = -1;
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            long now = received(devices);
            if (now == last) {
                return;
            }
            last = now;
            Thread.sleep(300);
        }
    }

    private static long received(List<Device> devices) {
        return devices.stream().mapToLong(d -> d.received.get()).sum();
    }

    /** At {@code rate} a second, a random user sends to a random partner; returns the messages sent. */
    static long openLoop(List<List<UUID>> mine, List<Device> devices, int rate, Duration duration) {
        long interval = 1_000_000_000L / rate;
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        long sent = 0;
        List<CompletableFuture<JsonNode>> pending = new ArrayList<>();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (long due = start; due < end; due += interval) {
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            int user = random.nextInt(devices.size());
            List<UUID> theirs = mine.get(user);
            long started = System.nanoTime();
            pending.add(devices.get(user)
                    .send(theirs.get(random.nextInt(theirs.size())), clientMessageId(random), due, PADDING));
            TailCauses.sent(due, started, System.nanoTime());
            sent++;
        }
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
                .orTimeout(60, TimeUnit.SECONDS)
                .join();
        return sent;
    }

    /**
     * A random UUID as a send's idempotency key, as {@code UUID.randomUUID()} makes but from a non-blocking random:
     * the same 36 characters for the server, without the secure random's lock in the load generator.
     */
    static String clientMessageId(ThreadLocalRandom random) {
        return new UUID(random.nextLong(), random.nextLong()).toString();
    }

    /** Every device keeps one message in flight, each to a random one of its conversations; returns those acked. */
    static long closedLoop(List<List<UUID>> mine, List<Device> devices, Duration duration) throws Exception {
        return WsBench.closedLoop(devices.size(), duration, i -> {
            List<UUID> theirs = mine.get(i);
            UUID to = theirs.get(ThreadLocalRandom.current().nextInt(theirs.size()));
            return devices.get(i).send(to, clientMessageId(ThreadLocalRandom.current()), System.nanoTime(), PADDING);
        });
    }

    /** A group of {@code members}: saturated by {@code senders}, and (when {@code rate} > 0) at a steady rate. */
    private static List<Row> group(
            Bench.Context ctx,
            Api api,
            HttpClient client,
            String wsBase,
            int members,
            int senders,
            int rate,
            Duration warmup,
            Duration measure)
            throws Exception {
        List<Api.User> users = Api.parallel(members, 16, i -> api.register("eg" + members, i));
        UUID group = api.group(users.getFirst(), "everyday " + members, users.subList(1, members));
        List<Device> devices = new ArrayList<>();
        for (Api.User user : users) {
            devices.add(WsBench.connect(client, wsBase, user));
        }
        List<Device> out = devices.subList(0, senders);
        List<List<UUID>> only = new ArrayList<>(Collections.nCopies(members, List.of(group)));
        closedLoop(only, out, warmup);
        List<Row> rows = new ArrayList<>();
        String scenario = members + "-member group";
        rows.add(measured(
                ctx,
                scenario,
                "saturation (" + senders + " in flight)",
                out,
                devices,
                () -> closedLoop(only, out, measure)));
        if (rate > 0) {
            rows.add(measured(
                    ctx, scenario, rate + " msg/s", devices, devices, () -> openLoop(only, devices, rate, measure)));
        }
        devices.forEach(d -> d.socket.sendClose(WebSocket.NORMAL_CLOSURE, "done"));
        return rows;
    }
}
