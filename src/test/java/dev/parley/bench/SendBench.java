package dev.parley.bench;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;

/**
 * Text messages per second over HTTP with N concurrent clients, each a different user with its own token and a
 * fresh {@code client_message_id} per send: (a) all into one group conversation, so every send contends for
 * the same conversation row's seq; (b) spread over many direct conversations, so they mostly do not.
 */
final class SendBench {

    private static final String[] WORDS = {
        "lunch at noon?",
        "the release went out",
        "deploy is green",
        "see you on Monday",
        "benchmarks are running",
        "can you review my PR",
        "coffee?",
        "ship it"
    };

    private SendBench() {}

    static void run(Bench.Context ctx) throws Exception {
        Api api = ctx.api();
        int clients = ctx.intOpt("bench.clients");
        int wanted = ctx.intOpt("bench.conversations");
        Duration warmup = Duration.ofSeconds(ctx.intOpt("bench.warmup"));
        Duration measure = Duration.ofSeconds(ctx.intOpt("bench.duration"));
        long maxRequests = Long.parseLong(ctx.opt("bench.maxRequests"));

        System.out.printf("Setup: %d users, one group of all of them, %d direct conversations%n", clients, wanted);
        List<Api.User> users = Api.parallel(clients, 16, i -> api.register("send", i));
        UUID group = api.group(users.getFirst(), "send bench group", users.subList(1, clients));
        // Distinct pairs (i, i+d mod n) for d = 1, 2, ... below n/2; client i sends into the pairs it opens.
        List<int[]> pairs = new ArrayList<>();
        for (int d = 1; d < (clients + 1) / 2 && pairs.size() < wanted; d++) {
            for (int i = 0; i < clients && pairs.size() < wanted; i++) {
                pairs.add(new int[] {i, (i + d) % clients});
            }
        }
        if (pairs.size() < wanted) {
            System.out.printf("Only %d distinct pairs among %d clients%n", pairs.size(), clients);
        }
        List<UUID> directs =
                Api.parallel(pairs.size(), 16, i -> api.direct(users.get(pairs.get(i)[0]), users.get(pairs.get(i)[1])));
        List<List<URI>> mine = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            mine.add(new ArrayList<>());
        }
        for (int i = 0; i < pairs.size(); i++) {
            mine.get(pairs.get(i)[0]).add(messagesUri(api, directs.get(i)));
        }
        URI groupUri = messagesUri(api, group);

        Load.Result inGroup =
                measure(ctx, "send-group", clients, warmup, measure, maxRequests, w -> List.of(groupUri), users);
        System.out.println(inGroup.summary());
        Load.Result inDirects = measure(ctx, "send-direct", clients, warmup, measure, maxRequests, mine::get, users);
        System.out.println(inDirects.summary());

        String settings = String.format(
                "%d clients (one user and token each, virtual threads, one JDK HttpClient on "
                        + "HTTP/1.1 keep-alive), warm-up %d s then %d s measured per scenario (at most %d requests), "
                        + "~40-character text with a client_message_id per send; server JVM options "
                        + Bench.serverJvmOptions()
                        + ", embedded PostgreSQL, `--parley.auth.bcrypt-strength=4` (setup only)%s",
                clients,
                warmup.toSeconds(),
                measure.toSeconds(),
                maxRequests,
                extraSettings(ctx));
        ctx.report("""
                ## send: text messages per second

                `POST /api/v1/conversations/{id}/messages` from %d concurrent clients, each its own user, as fast
                as the server answers (closed loop). (a) all into one group conversation of all %d users: every
                send takes the same conversation row lock to allocate its seq; (b) spread over %d direct
                conversations between the same users (each client sends round-robin into the ~%d it opened).
                Aim: >= 4,000 msg/s on the 2-core machine, load generator included.

                | scenario | msg/s | p50 | p90 | p99 | max | ok | failed | CPU (cores) |
                |---|---:|---:|---:|---:|---:|---:|---:|---|
                %s
                %s

                PostgreSQL per send: (a) %s; (b) %s.

                %s
                """.formatted(
                        clients,
                        clients,
                        pairs.size(),
                        Math.max(1, pairs.size() / clients),
                        row("(a) one group", inGroup),
                        row("(b) " + pairs.size() + " directs", inDirects),
                        DB.get(inGroup.label()),
                        DB.get(inDirects.label()),
                        ctx.machine(settings)));
    }

    private static String extraSettings(Bench.Context ctx) {
        String extra = ctx.opt("bench.serverArgs");
        return extra.isBlank() ? "" : "; extra server settings `" + extra.strip() + "`";
    }

    private static Load.Result measure(
            Bench.Context ctx,
            String label,
            int clients,
            Duration warmup,
            Duration measure,
            long maxRequests,
            IntFunction<List<URI>> targets,
            List<Api.User> users)
            throws InterruptedException {
        System.out.printf(
                "Running %s: warm-up %d s, then %d s measured%n", label, warmup.toSeconds(), measure.toSeconds());
        LoadMeters meters = LoadMeters.startAfter(ctx, warmup);
        Instant from = Instant.now().plus(warmup);
        Load.Result result = Load.run(label, clients, warmup, measure, maxRequests, 201, w -> {
            List<URI> uris = targets.apply(w);
            String auth = "Bearer " + users.get(w).token();
            String prefix = "{\"type\":\"text\",\"content\":\"Message from client " + w + ": ";
            int[] n = {0};
            return () -> {
                int i = n[0]++;
                String body = prefix + WORDS[i % WORDS.length] + " #" + i + "\",\"client_message_id\":\""
                        + UUID.randomUUID() + "\"}";
                HttpRequest request = HttpRequest.newBuilder(uris.get(i % uris.size()))
                        .timeout(Duration.ofSeconds(30))
                        .header("Authorization", auth)
                        .header("Content-Type", "application/json")
                        .POST(Api.json(body))
                        .build();
                return ctx.api().status(request);
            };
        });
        meters.stop(label, result.ok() + result.failed());
        CPU.put(label, meters.cpu());
        DB.put(label, meters.db());
        if (ctx.profile() != null) {
            ctx.profile().window(from, Instant.now());
        }
        return result;
    }

    private static final Map<String, String> CPU = new ConcurrentHashMap<>();
    private static final Map<String, String> DB = new ConcurrentHashMap<>();

    private static String row(String name, Load.Result r) {
        return String.format(
                "| %s | %.0f | %s | %s | %s | %s | %d | %d | %s |",
                name,
                r.throughput(),
                Latencies.ms(r.latencies().quantile(0.5)),
                Latencies.ms(r.latencies().quantile(0.9)),
                Latencies.ms(r.latencies().quantile(0.99)),
                Latencies.ms(r.latencies().max()),
                r.ok(),
                r.failed(),
                CPU.getOrDefault(r.label(), "n/a"));
    }

    private static URI messagesUri(Api api, UUID conversation) {
        return URI.create(api.base + "/api/v1/conversations/" + conversation + "/messages");
    }
}
