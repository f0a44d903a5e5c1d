package dev.parley.bench;

import dev.parley.support.ParleyProcess;
import dev.parley.support.RollingRestart;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The pause a client sees during a rolling restart: two nodes from the packaged jar behind HAProxy (the rolling
 * restart test's setup, {@link RollingRestart}), {@code bench.clients} WebSocket clients each sending a message a
 * two seconds to a group of all of them and a direct conversation, node 1 and then node 2 stopped with SIGTERM and
 * started again. A pause runs from the client's socket closing (1001) to its new socket being open and its
 * {@code /sync} from its cursor read to the end. The run's no-loss checks must pass for the figures to count.
 */
final class RollingBench {

    private static final Duration SEND_EVERY = Duration.ofSeconds(2);
    private static final Duration DRAIN_DELAY = Duration.ofSeconds(2);

    private RollingBench() {}

    static void run(Bench.Context ctx) throws Exception {
        int clients = ctx.intOpt("bench.clients");
        Path work = Files.createDirectories(ctx.workDir().resolve("rolling"));
        RollingRestart.Settings settings = new RollingRestart.Settings(
                ParleyProcess.jar(Path.of(System.getProperty("bench.jar")), Bench.serverJvmArgs()),
                Files.createTempDirectory(work, "run-"),
                clients,
                SEND_EVERY,
                DRAIN_DELAY);
        List<String> stops = new ArrayList<>();
        Latencies[] byRestart = {new Latencies(), new Latencies()};
        int messages;
        try (RollingRestart run = RollingRestart.start(settings)) {
            run.startClients();
            for (int node = 1; node <= 2; node++) {
                int[] before =
                        run.clients().stream().mapToInt(c -> c.pauses().size()).toArray();
                RollingRestart.Stop stop = run.restart(node);
                run.awaitProgress(Duration.ofSeconds(120));
                for (int i = 0; i < before.length; i++) {
                    List<Long> pauses = run.clients().get(i).pauses();
                    for (long pause : pauses.subList(before[i], pauses.size())) {
                        byRestart[node - 1].record(pause);
                    }
                }
                stops.add(String.format(
                        "node %d: SIGTERM to exit %.1f s (status %d), out of HAProxy's rotation before it ended: %s",
                        node, stop.tookMillis() / 1000.0, stop.exitStatus(), stop.outOfRotationWhileAlive()));
            }
            System.out.printf(
                    "Pauses before the checks: node 1 %s; node 2 %s%n", byRestart[0].summary(), byRestart[1].summary());
            run.finish(Duration.ofSeconds(120));
            run.assertEveryAckStoredOnce();
            run.assertEveryClientHasEverything();
            messages = run.clients().stream().mapToInt(c -> c.acked().size()).sum();
        }
        Latencies all = Latencies.merge(List.of(byRestart));
        String rows = row("node 1 restarted", byRestart[0]) + row("node 2 restarted", byRestart[1]) + row("both", all);
        System.out.println("Pauses: " + all.summary());
        ctx.report(String.format("""
                ### Rolling restart: the pause a client sees

                Two nodes (the packaged jar, each its own JVM) behind HAProxy 2.6 (health check on `/health/ready`
                every 500 ms, two failures to go down; round robin, no stickiness), one PostgreSQL started for the
                run, the local Redis. %d WebSocket clients, each sending a message every two seconds (to a group of all
                of them, and to a direct conversation), receiving every message of both, and reading `/sync` every
                10 s to keep its cursor current (frames carry none), as an app would. Node 1 and then node 2 are
                stopped with SIGTERM (`parley.shutdown.drain-delay=2s`) and started again. Pause: from a client's
                socket closing (1001) to its new socket, through HAProxy to the other node, being open and its
                `GET /sync` from its cursor read to the end. %d messages acknowledged during the run; every one
                stored once, and every client had every message of its conversations, seqs without gaps.

                | restart | pauses | p50 | p99 | max |
                |---|---:|---:|---:|---:|
                %s

                %s
                """, clients, messages, rows.strip(), String.join("; ", stops) + ".")
                + "\n"
                + ctx.machine("two nodes and HAProxy on this machine, server JVM options " + Bench.serverJvmOptions()
                        + "; clients are JDK java.net.http WebSockets in the load generator process"));
    }

    private static String row(String what, Latencies pauses) {
        return String.format(
                "| %s | %d | %s | %s | %s |%n",
                what,
                pauses.count(),
                Latencies.ms(pauses.quantile(0.50)),
                Latencies.ms(pauses.quantile(0.99)),
                Latencies.ms(pauses.max()));
    }
}
