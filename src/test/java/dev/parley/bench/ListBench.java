package dev.parley.bench;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * The conversation list of a busy user: {@code GET /api/v1/conversations?limit=20} for a user in 1,000
 * conversations (nine in ten direct, one in ten a small group), each with a few messages and unread ones,
 * seeded through the public API so every row, receipt and preview is what real traffic leaves behind.
 */
final class ListBench {

    private ListBench() {}

    static void run(Bench.Context ctx) throws Exception {
        Api api = ctx.api();
        int conversations = ctx.intOpt("bench.conversations");
        int samples = ctx.intOpt("bench.samples");
        int groups = conversations / 10;
        int directs = conversations - groups;

        long started = System.nanoTime();
        System.out.printf(
                "Setup: one user in %d direct and %d group conversations, 4 messages each%n", directs, groups);
        Api.User me = api.register("list", 0);
        List<Api.User> others = Api.parallel(directs, 16, i -> api.register("list", i + 1));
        List<UUID> convs = Api.parallel(
                conversations,
                16,
                i -> i < directs
                        ? api.direct(me, others.get(i))
                        : api.group(
                                me,
                                "list group " + i,
                                List.of(others.get((i * 7) % directs), others.get((i * 7 + 1) % directs))));
        // Per conversation: two messages from the other side, one of mine, one more from them; in every other
        // conversation I have read up to the first, so unread counts are 3 or 2.
        Api.parallel(conversations, 16, i -> {
            Api.User other = i < directs ? others.get(i) : others.get((i * 7) % directs);
            UUID c = convs.get(i);
            JsonNode first = api.sendText(other, c, "hello from " + other.username());
            api.sendText(other, c, "are you there?");
            api.sendText(me, c, "yes, what's up");
            api.sendText(other, c, "conversation " + i + " says hi");
            if (i % 2 == 0) {
                api.call(
                        "PUT",
                        "/api/v1/messages/" + first.path("message_id").asString() + "/read",
                        me.token(),
                        null,
                        200);
            }
            return null;
        });
        System.out.printf("Setup done in %.1f s%n", (System.nanoTime() - started) / 1e9);

        URI firstPage = URI.create(api.base + "/api/v1/conversations?limit=20");
        JsonNode page = api.call("GET", "/api/v1/conversations?limit=20", me.token(), null, 200);
        int rows = page.path("conversations").size();
        long unreadRows = 0;
        for (JsonNode c : page.path("conversations")) {
            if (c.path("unread_count").asLong() > 0 && c.path("last_message").isObject()) {
                unreadRows++;
            }
        }
        if (rows != 20 || !page.path("has_more").asBoolean() || unreadRows != 20) {
            throw new IllegalStateException("Unexpected first page: " + rows + " rows, " + unreadRows
                    + " with unread and a preview, has_more " + page.path("has_more"));
        }
        String cursor = page.path("next_cursor").asString("");
        URI secondPage = cursor.isEmpty()
                ? null
                : URI.create(api.base + "/api/v1/conversations?limit=20&before="
                        + URLEncoder.encode(cursor, StandardCharsets.UTF_8));

        Latencies first = new Latencies();
        Latencies second = new Latencies();
        int warmup = Math.max(50, samples / 5);
        CpuMeter meter = ctx.cpuMeter();
        Instant from = null;
        System.out.printf(
                "Warm-up %d rounds, then %d measured rounds (first page%s)%n",
                warmup, samples, secondPage == null ? "" : ", then second page");
        for (int round = -warmup; round < samples; round++) {
            if (round == 0) {
                meter.start();
                from = Instant.now();
            }
            time(api, firstPage, me.token(), round >= 0 ? first : null);
            if (secondPage != null) {
                time(api, secondPage, me.token(), round >= 0 ? second : null);
            }
            if (round > 0 && round % 100 == 0) {
                System.out.printf("  %d rounds: first page median %s%n", round, Latencies.ms(first.quantile(0.5)));
            }
        }
        String cpu = meter.stop();
        if (ctx.profile() != null) {
            ctx.profile().window(from, Instant.now());
        }
        System.out.println("first page: " + first.summary());
        if (secondPage != null) {
            System.out.println("second page: " + second.summary());
        }
        String settings = String.format(
                "one client, sequential requests, %d warm-up rounds then %d measured; "
                        + "%d direct + %d group conversations, 4 messages each (3 from the other side), half read "
                        + "up to "
                        + "the first message; seeded through the API; CPU during measurement: %s",
                warmup, samples, directs, groups, cpu);
        ctx.report("""
                ## list: conversation list of a user in %,d conversations

                `GET /api/v1/conversations?limit=20` (newest activity first, with previews, participants and exact
                unread counts) for one user who is in %,d conversations, each with messages and unread ones.
                Aim: median < 20 ms.

                | page | p50 | p90 | p99 | max | n |
                |---|---:|---:|---:|---:|---:|
                %s
                %s

                %s
                """.formatted(
                        conversations,
                        conversations,
                        row("first (limit=20)", first),
                        secondPage == null ? "" : row("second (before=next_cursor)", second),
                        ctx.machine(settings)));
    }

    private static void time(Api api, URI uri, String token, Latencies into) throws Exception {
        long t0 = System.nanoTime();
        int status = api.status(HttpRequest.newBuilder(uri)
                .header("Authorization", "Bearer " + token)
                .GET()
                .build());
        long t = System.nanoTime() - t0;
        if (status != 200) {
            throw new IllegalStateException(uri + " answered " + status);
        }
        if (into != null) {
            into.record(t);
        }
    }

    private static String row(String name, Latencies l) {
        return String.format(
                "| %s | %s | %s | %s | %s | %d |",
                name,
                Latencies.ms(l.quantile(0.5)),
                Latencies.ms(l.quantile(0.9)),
                Latencies.ms(l.quantile(0.99)),
                Latencies.ms(l.max()),
                l.count());
    }
}
