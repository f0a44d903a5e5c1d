package dev.parley.bench;

import dev.parley.push.FcmStandIn;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

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
        int rounds = 5;
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
        for (int round = 0; round < rounds; round++) {
            long before = expected;
            expected += (long) groups * MEMBERS;
            long start = System.nanoTime();
            long first = 0;
            int r = round;
            Api.parallel(groups, groups, i -> api.sendText(sender, conversations.get(i), "round " + r));
            double sendsMs = (System.nanoTime() - start) / 1e6;
            answered.add(sendsMs);
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
            rates.add(rate);
            firsts.add(toFirst);
            dispatchRates.add(dispatch);
            System.out.printf(
                    "round %d: %d pushes in %.3f s = %.0f pushes/s; sends answered after %.0f ms, first push after %.0f"
                            + " ms, then %.0f pushes/s%n",
                    round, groups * MEMBERS, seconds, rate, sendsMs, toFirst, dispatch);
        }
        if (ctx.profile() != null) {
            ctx.profile().window(from, Instant.now());
        }
        List<Double> sorted = rates.stream().sorted().toList();
        double median = sorted.get(sorted.size() / 2);
        double medianFirst = firsts.stream().sorted().toList().get(firsts.size() / 2);
        double medianAnswered = answered.stream().sorted().toList().get(answered.size() / 2);
        double medianDispatch = dispatchRates.stream().sorted().toList().get(dispatchRates.size() / 2);
        String settings = String.format(
                "1 sender, %d offline members with one FCM device each, %d groups of all "
                        + "of them; per round one message to each group at once (%d pushes, none collapsed), %d "
                        + "rounds; "
                        + "the FCM stand-in (JDK HttpServer, OAuth token endpoint) runs in the benchmark's JVM on "
                        + "the same "
                        + "machine; defaults otherwise (`PARLEY_PUSH_INTERVAL=200ms`, batch 500, concurrency 128)",
                MEMBERS, groups, groups * MEMBERS, rounds);
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

                %s
                """.formatted(
                        MEMBERS,
                        rates.stream().map(x -> String.format("%.0f", x)).toList(),
                        median,
                        sorted.getLast(),
                        medianAnswered,
                        medianFirst,
                        medianDispatch,
                        ctx.machine(settings)));
    }
}
