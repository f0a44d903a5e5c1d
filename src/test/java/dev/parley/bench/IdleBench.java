package dev.parley.bench;

import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import tools.jackson.databind.JsonNode;

/**
 * What idle clients without a WebSocket cost the database: event streams ({@code GET /events}) and long polls
 * ({@code GET /sync?timeout=30}, asked again as soon as answered) that wait with nothing arriving. Counts the
 * server's JDBC statements from its own {@code database_query_duration_seconds_count} (on {@code /metrics}) over the
 * measured window. Five of each per user, the per-user caps' default.
 */
final class IdleBench {

    private static final int PER_USER = 5;

    private IdleBench() {}

    static void run(Bench.Context ctx) throws Exception {
        Api api = ctx.api();
        int streams = ctx.intOpt("bench.idleStreams");
        int polls = ctx.intOpt("bench.idlePolls");
        int seconds = ctx.intOpt("bench.duration");
        int streamUsers = (streams + PER_USER - 1) / PER_USER;
        int pollUsers = (polls + PER_USER - 1) / PER_USER;
        List<Api.User> users = Api.parallel(streamUsers + pollUsers, 16, i -> api.register("idle", i));
        HttpClient http = HttpClient.newHttpClient();
        List<InputStream> open = new ArrayList<>();
        AtomicBoolean running = new AtomicBoolean(true);
        try (ExecutorService pollers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < streams; i++) {
                Api.User user = users.get(i / PER_USER);
                HttpResponse<InputStream> stream = http.send(
                        api.request("/api/v1/events", user.token())
                                .header("Accept", "text/event-stream")
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                if (stream.statusCode() != 200) {
                    throw new IllegalStateException("GET /events answered " + stream.statusCode());
                }
                open.add(stream.body());
            }
            for (int i = 0; i < polls; i++) {
                Api.User user = users.get(streamUsers + i / PER_USER);
                pollers.submit(() -> longPolls(api, user, running));
            }
            System.out.printf(
                    "%d event streams and %d long polls open; settling 5 s, then %d s measured%n",
                    streams, polls, seconds);
            Thread.sleep(5_000);
            CpuMeter cpu = ctx.cpuMeter();
            long before = statements(api);
            long started = System.nanoTime();
            cpu.start();
            Thread.sleep(seconds * 1_000L);
            long used = statements(api) - before;
            double elapsed = (System.nanoTime() - started) / 1e9;
            String load = cpu.stop();
            running.set(false);
            double perSecond = used / elapsed;
            int waiters = streams + polls;
            System.out.printf(
                    "idle: %d waiters, %d statements in %.1f s = %.2f/s (%.4f per waiter and second); %s%n",
                    waiters, used, elapsed, perSecond, perSecond / waiters, load);
            ctx.report(String.format(
                    """
                    ## idle: database cost of waiting event streams and long polls

                    %d event streams and %d long polls (%d per user, the cap's default) held open with nothing
                    arriving; JDBC statements the server ran, from its own `database_query_duration_seconds_count`
                    on `/metrics`, over %d s after 5 s of settling. Aim: idle streams cost nothing and long polls only
                    their own start and answer (two statements per 30 s poll), besides one statement a second per node
                    (the notifier), whatever the number of waiting clients.

                    | waiting clients | statements | per second | per client and second | CPU |
                    |---:|---:|---:|---:|---|
                    | %d | %d | %.2f | %.4f | %s |

                    %s""",
                    streams,
                    polls,
                    PER_USER,
                    seconds,
                    waiters,
                    used,
                    perSecond,
                    perSecond / waiters,
                    load,
                    ctx.machine("one node, embedded PostgreSQL, server JVM options " + Bench.serverJvmOptions())));
            pollers.shutdownNow();
        } finally {
            running.set(false);
            for (InputStream stream : open) {
                stream.close();
            }
        }
    }

    /** One client's long polls, each asked again as soon as it is answered, from the cursor it returned. */
    private static Void longPolls(Api api, Api.User user, AtomicBoolean running) {
        String cursor = api.call("GET", "/api/v1/sync", user.token(), null, 200)
                .path("next_cursor")
                .asString("");
        while (running.get()) {
            JsonNode page = api.call(
                    "GET",
                    "/api/v1/sync?timeout=30" + (cursor.isEmpty() ? "" : "&since=" + cursor),
                    user.token(),
                    null,
                    200);
            cursor = page.path("next_cursor").asString(cursor);
        }
        return null;
    }

    /** Statements the server has run since it started, summed over its query timers. */
    private static long statements(Api api) throws Exception {
        long total = 0;
        for (String line : api.raw("/metrics").split("\n")) {
            if (line.startsWith("database_query_duration_seconds_count")) {
                total += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return total;
    }
}
