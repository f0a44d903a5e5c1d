package dev.parley.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Entry point of the benchmarks
 * ({@code ./mvnw -q -Pbench verify -Dbench=<name>}, one of the names in {@link #BENCHMARKS}, or {@code all}).
 * Options arrive as system properties (see docs/benchmarks.md); each benchmark runs against its own freshly
 * started server unless {@code bench.url} names a running one.
 */
public final class Bench {

    /** Options and their defaults; a run's reproducing command lists the ones that differ. */
    static final Map<String, String> DEFAULTS = new LinkedHashMap<>();

    static {
        DEFAULTS.put("bench", "all");
        DEFAULTS.put("bench.url", "");
        DEFAULTS.put("bench.jdbcUrl", "");
        DEFAULTS.put("bench.clients", "64");
        DEFAULTS.put("bench.warmup", "10");
        DEFAULTS.put("bench.duration", "30");
        DEFAULTS.put("bench.maxRequests", "1000000");
        DEFAULTS.put("bench.conversations", "1000");
        DEFAULTS.put("bench.samples", "500");
        DEFAULTS.put("bench.smallSize", "1000");
        DEFAULTS.put("bench.largeSize", "1000000");
        DEFAULTS.put("bench.profile", "false");
        DEFAULTS.put("bench.serverArgs", "");
        // The JVM options README recommends for production (G1, the JVM's default: see docs/benchmarks.md).
        DEFAULTS.put("bench.serverJvmArgs", "-XX:+UseG1GC");
        DEFAULTS.put("bench.pgSettings", "");
        DEFAULTS.put("bench.sql", "");
        // ws2c: the Redis Cluster both nodes use (host:port seeds), started beforehand.
        DEFAULTS.put("bench.redisClusterNodes", "");
        DEFAULTS.put("bench.write", "true");
        DEFAULTS.put("bench.wsConnections", "10000");
        DEFAULTS.put("bench.wsSteadyRate", "1000");
        DEFAULTS.put("bench.thumbFiles", "4");
        DEFAULTS.put("bench.thumbRounds", "10");
        DEFAULTS.put("bench.idleStreams", "200");
        DEFAULTS.put("bench.idlePolls", "100");
        // everyday: the users, their partners each, the offered rates, and messages stored before the load.
        DEFAULTS.put("bench.users", "500");
        DEFAULTS.put("bench.partners", "10");
        DEFAULTS.put("bench.rates", "200,1000,2000");
        DEFAULTS.put("bench.prefill", "0");
        DEFAULTS.put("bench.scenarios", "rates,saturation,group10,group100");
        // A running PostgreSQL (JDBC URL of the server, user postgres) to use instead of the embedded one: the
        // server gets a scratch database there, dropped after the run.
        DEFAULTS.put("bench.database", "");
        // A name for the run (e.g. before, after), which gets its own section in docs/benchmarks.md.
        DEFAULTS.put("bench.label", "");
        // on: FCM at a stand-in and webhooks at a receiver, in this JVM; off: push disabled; empty: the defaults.
        DEFAULTS.put("bench.push", "");
        // push: rounds run first and not counted (the server's JIT warms up), then the measured rounds.
        DEFAULTS.put("bench.pushWarmupRounds", "10");
        DEFAULTS.put("bench.pushRounds", "10");
        // The load generator's collector (a JVM flag of this JVM, set by the pom; recorded for the command line).
        DEFAULTS.put("bench.generatorGc", "-XX:+UseG1GC");
    }

    /** What a benchmark needs: options, the server, a client, and where to put files. */
    record Context(
            String name,
            BenchServer server,
            Api api,
            Path root,
            Path workDir,
            String command,
            String loadAtStart,
            Profile profile) {

        String opt(String key) {
            String v = System.getProperty(key);
            return v == null || v.isBlank() ? DEFAULTS.get(key) : v.strip();
        }

        int intOpt(String key) {
            return Integer.parseInt(opt(key));
        }

        CpuMeter cpuMeter() {
            return new CpuMeter(server.serverPid(), server.postgresPid());
        }

        String machine(String settings) {
            return Report.machine(command, settings, loadAtStart);
        }

        void report(String body) throws Exception {
            if (Boolean.parseBoolean(opt("bench.write"))) {
                Report.write(root.resolve("docs/benchmarks.md"), name, body);
            }
        }
    }

    interface Benchmark {
        void run(Context ctx) throws Exception;
    }

    static final Map<String, Benchmark> BENCHMARKS = new LinkedHashMap<>();

    static {
        BENCHMARKS.put("send", SendBench::run);
        BENCHMARKS.put("history", HistoryBench::run);
        BENCHMARKS.put("list", ListBench::run);
        BENCHMARKS.put("ws", WsBench::run);
        BENCHMARKS.put("thumbs", ThumbBench::run);
        BENCHMARKS.put("ws2", WsTwoNodeBench::run);
        BENCHMARKS.put("ws2c", WsTwoNodeBench::run);
        BENCHMARKS.put("imagejob", ImageJobBench::run);
        BENCHMARKS.put("search", SearchBench::run);
        BENCHMARKS.put("idle", IdleBench::run);
        BENCHMARKS.put("audit", AuditBench::run);
        BENCHMARKS.put("rolling", RollingBench::run);
        BENCHMARKS.put("rules", RulesBench::run);
        BENCHMARKS.put("push", PushBench::run);
        BENCHMARKS.put("presence", PresenceBench::run);
        BENCHMARKS.put("privacy", PrivacyBench::run);
        BENCHMARKS.put("everyday", EverydayBench::run);
    }

    /** Benchmarks of code in this JVM, which need no server, or that start their own servers (rolling). */
    private static final Set<String> WITHOUT_SERVER = Set.of("thumbs", "imagejob", "rolling", "presence");

    public static void main(String[] args) throws Exception {
        String which = opt("bench");
        // "all" leaves out ws2c unless a cluster is named: it needs one running.
        List<String> names = "all".equals(which)
                ? BENCHMARKS.keySet().stream()
                        .filter(n -> !n.equals("ws2c")
                                || !opt("bench.redisClusterNodes").isEmpty())
                        .toList()
                : Arrays.asList(which.split(","));
        for (String name : names) {
            if (!BENCHMARKS.containsKey(name)) {
                System.err.println("Unknown benchmark '" + name + "'; choose from " + BENCHMARKS.keySet() + " or all");
                System.exit(2);
            }
        }
        Path root =
                Path.of(System.getProperty("bench.root", ".")).toAbsolutePath().normalize();
        Path workDir = root.resolve("target/bench");
        for (String name : names) {
            System.out.println();
            System.out.println("=== Benchmark: " + name + " ===");
            runOne(name, root, workDir);
        }
    }

    private static void runOne(String name, Path root, Path workDir) throws Exception {
        String loadAtStart = Report.loadAverage();
        if (WITHOUT_SERVER.contains(name)) {
            BENCHMARKS.get(name).run(new Context(name, null, null, root, workDir, command(name), loadAtStart, null));
            return;
        }
        String url = opt("bench.url");
        boolean profile = Boolean.parseBoolean(opt("bench.profile"));
        Profile profiler = profile ? new Profile(workDir.resolve("server-" + name + ".jfr")) : null;
        BenchServer server;
        String database = opt("bench.database");
        BenchServer.ExternalDatabase scratch =
                url.isEmpty() && !database.isEmpty() ? ScratchDatabase.create(database) : null;
        try {
            if (url.isEmpty()) {
                List<String> jvm = new ArrayList<>(serverJvmArgs());
                if (profiler != null) {
                    jvm.add(profiler.jvmFlag());
                }
                List<String> app = new ArrayList<>(serverAppArgs());
                if ("ws2".equals(name) || "ws2c".equals(name)) {
                    app.addAll(WsTwoNodeBench.nodeArgs(name));
                }
                if ("push".equals(name)) {
                    app.addAll(PushBench.serverArgs(workDir));
                }
                app.addAll(PushSwitch.serverArgs(opt("bench.push"), workDir));
                server = BenchServer.start(
                        Path.of(System.getProperty("bench.jar")), workDir, name, jvm, app, Map.of(), scratch);
            } else {
                server = BenchServer.external(url, opt("bench.jdbcUrl"));
            }
            try (server) {
                applyPgSettings(server, opt("bench.pgSettings"));
                runSql(server, opt("bench.sql"));
                Context ctx = new Context(
                        name, server, new Api(server.baseUrl), root, workDir, command(name), loadAtStart, profiler);
                BENCHMARKS.get(name).run(ctx);
            }
        } finally {
            PushSwitch.stop();
            if (scratch != null) {
                ScratchDatabase.drop(scratch);
            }
        }
        if (profiler != null) {
            profiler.printHotMethods();
        }
    }

    /** The command that reproduces this run: the documented one plus every option that differs from its default. */
    static String command(String name) {
        StringBuilder cmd = new StringBuilder("./mvnw -q -Pbench verify -Dbench=" + name);
        DEFAULTS.forEach((key, def) -> {
            String v = System.getProperty(key);
            if (!key.equals("bench") && v != null && !v.isBlank() && !v.strip().equals(def)) {
                cmd.append(" -D").append(key).append('=').append(v.contains(" ") ? "'" + v.strip() + "'" : v.strip());
            }
        });
        return cmd.toString();
    }

    /**
     * Diagnostic only: PostgreSQL settings ({@code name=value,...}) applied with ALTER SYSTEM before the load, e.g.
     * {@code synchronous_commit=off} to see how much of a figure is the wait for the WAL flush.
     */
    private static void applyPgSettings(BenchServer server, String settings) throws Exception {
        if (settings.isBlank()) {
            return;
        }
        if (server.jdbcUrl == null) {
            throw new IllegalStateException("bench.pgSettings needs the database: give bench.jdbcUrl");
        }
        try (var db = server.database();
                var st = db.createStatement()) {
            for (String setting : settings.split(",")) {
                String[] kv = setting.strip().split("=", 2);
                if (!kv[0].matches("[a-z_]+")) {
                    throw new IllegalArgumentException("Not a setting name: " + kv[0]);
                }
                st.execute("ALTER SYSTEM SET " + kv[0] + " = '" + kv[1].replace("'", "''") + "'");
                System.out.println("PostgreSQL: " + kv[0] + " = " + kv[1]);
            }
            st.execute("SELECT pg_reload_conf()");
        }
    }

    /** Diagnostic only: SQL statements (separated by ';') run before the load, e.g. to try without an index. */
    private static void runSql(BenchServer server, String sql) throws Exception {
        if (sql.isBlank()) {
            return;
        }
        if (server.jdbcUrl == null) {
            throw new IllegalStateException("bench.sql needs the database: give bench.jdbcUrl");
        }
        try (var db = server.database();
                var st = db.createStatement()) {
            for (String statement : sql.split(";")) {
                if (!statement.isBlank()) {
                    System.out.println("PostgreSQL: " + statement.strip());
                    st.execute(statement);
                }
            }
        }
    }

    /** The server JVM's options for every server a benchmark starts (JFR excepted), as the report names them. */
    static String serverJvmOptions() {
        return "`" + String.join(" ", serverJvmArgs()) + "`";
    }

    /** The server JVM's options for every server a benchmark starts (JFR excepted). */
    static List<String> serverJvmArgs() {
        return split(opt("bench.serverJvmArgs"));
    }

    /** The server's arguments for every server a benchmark starts. */
    static List<String> serverAppArgs() {
        List<String> app = new ArrayList<>();
        // Registration hashes passwords slowly by design; setup registers hundreds of users, none measured.
        app.add("--parley.auth.bcrypt-strength=4");
        // The benchmarks measure throughput; each of their users sends far more than a person's 60 a minute.
        app.add("--parley.limits.messages-per-minute=0");
        app.add("--parley.limits.images-per-hour=0");
        app.add("--parley.limits.login-attempts=0");
        app.add("--parley.limits.login-attempts-per-address=0");
        // Setup creates groups by the hundred from one user.
        app.add("--parley.limits.groups-per-hour=0");
        app.add("--parley.limits.member-adds-per-hour=0");
        app.add("--parley.limits.searches-per-minute=0");
        // Setup registers every load user from this one address.
        app.add("--parley.limits.registrations-per-address=0");
        // The WebSocket benchmarks hold far more sockets per user than a person's few devices, and send as fast as
        // acknowledged; the frame limit stays on (its cost is measured) but far above what any socket sends.
        app.add("--parley.realtime.max-sockets-per-user=0");
        app.add("--parley.realtime.frame-rate=1000000");
        app.add("--parley.realtime.frame-burst=1000000");
        app.addAll(split(opt("bench.serverArgs")));
        return app;
    }

    static String opt(String key) {
        String v = System.getProperty(key);
        return v == null || v.isBlank() ? DEFAULTS.get(key) : v.strip();
    }

    private static List<String> split(String args) {
        return args == null || args.isBlank()
                ? List.of()
                : Arrays.asList(args.strip().split("\\s+"));
    }

    private Bench() {}
}
