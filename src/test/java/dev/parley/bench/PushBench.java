package dev.parley.bench;

import dev.parley.push.FcmStandIn;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Push dispatch throughput: a group of 101 (a sender and 100 members), every member offline with one FCM device,
 * pushes delivered to a local FCM stand-in (HTTP, OAuth token endpoint included) in this JVM. Each round sends one
 * message to each of G such groups at once (G x 100 pushes, none collapsed: one per device and conversation) and
 * times from the first send to the last push the stand-in accepted: the log consumer, the rule, the queue, the
 * workers and the provider requests, end to end.
 */
final class PushBench {

    private static final int MEMBERS = 100;
    private static FcmStandIn fcm;

    private PushBench() {}

    /** Starts the stand-in; the server is pointed at it. */
    static List<String> serverArgs(Path workDir) {
        try {
            fcm = new FcmStandIn(workDir.resolve("push-standin"));
            fcm.stopRecording();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return fcm.serverArguments();
    }

    static void run(Bench.Context ctx) throws Exception {
        // The stand-in's HTTP server thread is not a daemon: left open, it keeps the benchmark's JVM alive.
        try (FcmStandIn standIn = fcm) {
            measure(ctx);
        }
    }

    private static void measure(Bench.Context ctx) throws Exception {
        Api api = ctx.api();
        int groups = Math.max(1, ctx.intOpt("bench.clients") / 2);
        int warmupRounds = ctx.intOpt("bench.pushWarmupRounds");
        int rounds = ctx.intOpt("bench.pushRounds");
        System.out.printf("Setup: 1 sender, %d members with an FCM device each, %d groups%n", MEMBERS, groups);
        Api.User sender = api.register("pushs", 0);
        List<Api.User> members = Api.parallel(MEMBERS, 16, i -> api.register("pushm", i));
        api.fcmDevices(members);
        List<UUID> conversations = Api.parallel(groups, 8, i -> api.group(sender, "push " + i, members));
        List<Double> rates = new ArrayList<>();
        List<Double> firsts = new ArrayList<>();
        List<Double> answered = new ArrayList<>();
        List<Double> dispatchRates = new ArrayList<>();
        long expected = fcm.accepted();
        Instant from = Instant.now();
        CpuMeter cpu = ctx.cpuMeter();
        cpu.start(); // again after each warm-up round: only the measured rounds count
        for (int round = -warmupRounds; round < rounds; round++) {
            long before = expected;
            expected += (long) groups * MEMBERS;
            long start = System.nanoTime();
            long first = 0;
            int r = round;
            Api.parallel(groups, groups, i -> api.sendText(sender, conversations.get(i), "round " + r));
            double sendsMs = (System.nanoTime() - start) / 1e6;
            long accepted;
            while ((accepted = fcm.accepted()) < expected) {
                if (first == 0 && accepted > before) {
                    first = System.nanoTime(); // the log consumer, rule and queue are behind this one
                }
                if (System.nanoTime() - start > Duration.ofMinutes(2).toNanos()) {
                    throw new IllegalStateException("pushes missing: " + (expected - fcm.accepted()));
                }
                Thread.onSpinWait();
                Thread.sleep(1);
            }
            long end = System.nanoTime();
            first = first == 0 ? end : first;
            double seconds = (end - start) / 1e9;
            double rate = groups * MEMBERS / seconds;
            double toFirst = (first - start) / 1e6;
            double dispatch = groups * MEMBERS / Math.max((end - first) / 1e9, 1e-3);
            System.out.printf(
                    "%s %d: %d pushes in %.3f s = %.0f pushes/s; sends answered after %.0f ms, first push after %.0f"
                            + " ms, then %.0f pushes/s%n",
                    round < 0 ? "warm-up round" : "round",
                    round < 0 ? round + warmupRounds : round,
                    groups * MEMBERS,
                    seconds,
                    rate,
                    sendsMs,
                    toFirst,
                    dispatch);
            if (round < 0) {
                from = Instant.now();
                cpu.start();
                continue; // the JIT compiles the HTTP client, the rule and the queue's paths here
            }
            rates.add(rate);
            answered.add(sendsMs);
            firsts.add(toFirst);
            dispatchRates.add(dispatch);
        }
        Map<String, Double> used = cpu.stopSeconds();
        if (ctx.profile() != null) {
            ctx.profile().window(from, Instant.now());
        }
        long measured = (long) rounds * groups * MEMBERS;
        String perPush = used.entrySet().stream()
                .filter(e -> !e.getKey().equals("wall"))
                .map(e -> String.format("%s %.0f µs", e.getKey(), e.getValue() * 1e6 / measured))
                .collect(Collectors.joining(", "));
        System.out.printf("CPU over the measured rounds: %s; per push: %s%n", CpuMeter.format(used), perPush);
        List<Double> sorted = rates.stream().sorted().toList();
        double median = sorted.get(sorted.size() / 2);
        double medianFirst = firsts.stream().sorted().toList().get(firsts.size() / 2);
        double medianAnswered = answered.stream().sorted().toList().get(answered.size() / 2);
        double medianDispatch = dispatchRates.stream().sorted().toList().get(dispatchRates.size() / 2);
        String settings = String.format(
                "1 sender, %d offline members with one FCM device each, %d groups of all "
                        + "of them; per round one message to each group at once (%d pushes, none collapsed), %d "
                        + "rounds measured after %d not counted (the JIT warms up); "
                        + "the FCM stand-in (JDK HttpServer, OAuth token endpoint) runs in the benchmark's JVM on "
                        + "the same "
                        + "machine; defaults otherwise (`PARLEY_PUSH_INTERVAL=200ms`, batch 500, concurrency 128)",
                MEMBERS, groups, groups * MEMBERS, rounds, warmupRounds);
        ctx.report("""
                ## push: notifications dispatched per second

                Messages to groups of %d offline members, each with an FCM device: the time from the first send to
                the last push the provider stand-in accepted (log consumer, rule, queue, workers, provider requests).

                | rounds (pushes/s) | median | best | sends answered after | first push after | rate after it |
                |---|---|---|---|---|---|
                | %s | **%.0f** | %.0f | %.0f ms | %.0f ms | %.0f pushes/s |

                The last three columns are medians over the rounds: when the round's sends had all been answered,
                when the stand-in accepted the round's first push (the sends, the log consumer's wait and batch: rule,
                badges, queue), and the rate from then to the last push (the workers and the provider requests).

                CPU over the measured rounds, per push: %s (the load generator's JVM holds the stand-in).

                %s
                """.formatted(
                        MEMBERS,
                        rates.stream().map(x -> String.format("%.0f", x)).toList(),
                        median,
                        sorted.getLast(),
                        medianAnswered,
                        medianFirst,
                        medianDispatch,
                        perPush,
                        ctx.machine(settings)));
    }
}
