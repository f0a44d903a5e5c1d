package dev.parley.bench;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the audit log costs on the path that writes it most: password logins from N concurrent clients, each its
 * own user. (a) Successful logins: each appends an entry in the login's transaction, under the one chain-head lock
 * that every append in the cluster shares, held until commit. (b) Failed logins (wrong password): flood-controlled,
 * so almost all are counted in memory rather than written. Run at a commit before the audit log for the baseline.
 */
final class AuditBench {

    private static final Map<String, String> CPU = new ConcurrentHashMap<>();
    private static final Map<String, String> DB = new ConcurrentHashMap<>();

    private AuditBench() {}

    static void run(Bench.Context ctx) throws Exception {
        Api api = ctx.api();
        int clients = ctx.intOpt("bench.clients");
        Duration warmup = Duration.ofSeconds(ctx.intOpt("bench.warmup"));
        Duration measure = Duration.ofSeconds(ctx.intOpt("bench.duration"));
        long maxRequests = Long.parseLong(ctx.opt("bench.maxRequests"));

        System.out.printf("Setup: %d users%n", clients);
        List<Api.User> users = Api.parallel(clients, 16, i -> api.register("audit", i));
        URI login = URI.create(api.base() + "/api/v1/auth/login");

        Load.Result ok =
                measure(ctx, "login-ok", clients, warmup, measure, maxRequests, 200, login, users, "bench password");
        System.out.println(ok.summary());
        Load.Result failed = measure(
                ctx, "login-failed", clients, warmup, measure, maxRequests, 401, login, users, "wrong password");
        System.out.println(failed.summary());

        String settings = String.format(
                "%d clients (one user each, virtual threads, one JDK HttpClient on HTTP/1.1 "
                        + "keep-alive), warm-up %d s then %d s measured per scenario (at most %d requests); server JVM "
                        + "options %s, embedded PostgreSQL, `--parley.auth.bcrypt-strength=4` (so the hash does not "
                        + "hide "
                        + "the rest), login limits off",
                clients, warmup.toSeconds(), measure.toSeconds(), maxRequests, Bench.serverJvmOptions());
        ctx.report("""
                ## audit: what the audit log costs a login

                `POST /api/v1/auth/login` from %d concurrent clients, each its own user, as fast as the server
                answers (closed loop). (a) the right password: each login appends an audit entry in its
                transaction, under the chain-head lock every append shares until its commit; (b) a wrong password:
                failed logins are flood-controlled (5 per username and address, 100 in all per minute and node are
                written; the rest are counted into one summary per minute).

                | scenario | logins/s | p50 | p90 | p99 | max | ok | other | CPU (cores) |
                |---|---:|---:|---:|---:|---:|---:|---:|---|
                %s
                %s

                PostgreSQL per login: (a) %s; (b) %s.

                %s
                """.formatted(
                        clients,
                        row("(a) right password", ok),
                        row("(b) wrong password", failed),
                        DB.get(ok.label()),
                        DB.get(failed.label()),
                        ctx.machine(settings)));
    }

    private static Load.Result measure(
            Bench.Context ctx,
            String label,
            int clients,
            Duration warmup,
            Duration measure,
            long maxRequests,
            int expected,
            URI login,
            List<Api.User> users,
            String password)
            throws InterruptedException {
        System.out.printf(
                "Running %s: warm-up %d s, then %d s measured%n", label, warmup.toSeconds(), measure.toSeconds());
        LoadMeters meters = LoadMeters.startAfter(ctx, warmup);
        Load.Result result = Load.run(label, clients, warmup, measure, maxRequests, expected, w -> {
            String body = "{\"username\":\"" + users.get(w).username() + "\",\"password\":\"" + password + "\"}";
            return () -> ctx.api()
                    .status(HttpRequest.newBuilder(login)
                            .timeout(Duration.ofSeconds(30))
                            .header("Content-Type", "application/json")
                            .POST(Api.json(body))
                            .build());
        });
        meters.stop(label, result.ok() + result.failed());
        CPU.put(label, meters.cpu());
        DB.put(label, meters.db());
        return result;
    }

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
}
