package dev.parley.bench;

import dev.parley.screening.RuleSetCost;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * What the content rules cost the send path: text sends per second and their latency over direct conversations
 * (no shared row, so the rules' CPU is what moves), on a server without rules and on one with 1,000 (950 words and
 * phrases, 50 regular expressions), each freshly started. The messages match no rule, as almost all do.
 */
final class RulesBench {

    static final int RULES = 1_000;

    private RulesBench() {}

    static void run(Bench.Context ctx) throws Exception {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            texts.add("Message from client " + i + ": " + SendBench.WORDS[i % SendBench.WORDS.length] + " #" + i);
        }
        long bare = RuleSetCost.nanosPerMessage(List.of(), texts, 201);
        long loaded = RuleSetCost.nanosPerMessage(rules(), texts, 201);
        System.out.printf("Rules in this JVM: %d ns per message without rules, %d ns with %d%n", bare, loaded, RULES);
        Duration warmup = Duration.ofSeconds(ctx.intOpt("bench.warmup"));
        Duration measure = Duration.ofSeconds(ctx.intOpt("bench.duration"));
        Load.Result none = sends(ctx, "no rules", warmup, measure);
        System.out.println(none.summary());

        Path file = ctx.workDir().resolve("rules-" + UUID.randomUUID() + ".txt");
        Files.createDirectories(file.getParent());
        Files.write(file, rules());
        List<String> app = new ArrayList<>(Bench.serverAppArgs());
        app.add("--parley.moderation.rules-file=" + file);
        Load.Result many;
        try (BenchServer server = BenchServer.start(
                Path.of(System.getProperty("bench.jar")),
                ctx.workDir(),
                ctx.name() + "-rules",
                Bench.serverJvmArgs(),
                app)) {
            Bench.Context withRules = new Bench.Context(
                    ctx.name(),
                    server,
                    new Api(server.baseUrl),
                    ctx.root(),
                    ctx.workDir(),
                    ctx.command(),
                    ctx.loadAtStart(),
                    null);
            many = sends(withRules, RULES + " rules", warmup, measure);
        }
        System.out.println(many.summary());
        double change = 100.0 * (many.throughput() - none.throughput()) / none.throughput();
        String settings = String.format(
                "%d clients, warm-up %d s then %d s measured per server, server JVM options %s",
                ctx.intOpt("bench.clients"), warmup.toSeconds(), measure.toSeconds(), Bench.serverJvmOptions());
        ctx.report("""
                ## rules: content rules on the send path

                `POST /api/v1/conversations/{id}/messages` from %d concurrent clients into direct conversations (as
                the send benchmark's scenario (b)), on a server without content rules and on one with %,d
                (`--parley.moderation.rules-file`: 950 words and phrases, one Aho-Corasick automaton, and 50 regular
                expressions), each started fresh. Every message is folded (NFKC, case folding, look-alikes) and
                matched; none matches. Aim (issue 11): at most 5%% apart. Measured: %+.1f%% throughput.

                What the rules themselves cost, measured apart in the benchmark's JVM as thread CPU time (so it
                holds on a crowded machine): judging one of these messages takes %,d ns with %,d rules and %,d ns
                with none (median of 201 rounds of 64 messages), against a send's server-side CPU in the
                millisecond range (the CPU column, divided by msg/s).

                | server | msg/s | p50 | p90 | p99 | max | ok | failed | CPU (cores) |
                |---|---:|---:|---:|---:|---:|---:|---:|---|
                %s
                %s

                %s
                """.formatted(
                        ctx.intOpt("bench.clients"),
                        RULES,
                        change,
                        loaded,
                        RULES,
                        bare,
                        SendBench.row("no rules", none),
                        SendBench.row(RULES + " rules", many),
                        ctx.machine(settings)));
    }

    private static Load.Result sends(Bench.Context ctx, String label, Duration warmup, Duration measure)
            throws Exception {
        Api api = ctx.api();
        int clients = ctx.intOpt("bench.clients");
        List<Api.User> users = Api.parallel(clients, 16, i -> api.register("rules", i));
        List<List<URI>> mine = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            mine.add(new ArrayList<>());
        }
        List<UUID> directs = Api.parallel(clients, 16, i -> api.direct(users.get(i), users.get((i + 1) % clients)));
        for (int i = 0; i < clients; i++) {
            mine.get(i).add(SendBench.messagesUri(api, directs.get(i)));
        }
        return SendBench.measure(
                ctx, label, clients, warmup, measure, Long.parseLong(ctx.opt("bench.maxRequests")), mine::get, users);
    }

    /** 950 words and phrases that ordinary text never contains, and 50 patterns that it never matches. */
    static List<String> rules() {
        List<String> lines = new ArrayList<>(RULES + 1);
        lines.add("# " + RULES + " generated rules for the benchmark");
        for (int i = 0; i < 950; i++) {
            String word = "zq" + Integer.toString(i * 7919 + 13, 36) + "xv";
            lines.add((i % 3 == 0 ? "mask " : "reject ") + (i % 5 == 0 ? word + " " + word.substring(2) : word));
        }
        for (int i = 0; i < 50; i++) {
            lines.add("reject /qx" + i + "[0-9]{2,}\\s*zv/");
        }
        return lines;
    }
}
