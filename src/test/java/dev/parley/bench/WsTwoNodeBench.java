package dev.parley.bench;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * 1:1 messages over WebSocket across two nodes: two server processes sharing one PostgreSQL (node 1's embedded
 * one) and the Redis at 127.0.0.1:6379 under a key prefix of this run's own, so every delivery crosses Redis
 * pub/sub. (a) every sender on node 1, every recipient on node 2; (b) the senders split over both nodes, each
 * recipient on the other one (send load balanced, every delivery still remote). As {@code ws2c}, the same on the
 * Redis Cluster named by {@code bench.redisClusterNodes} (sharded pub/sub) instead of the local Redis.
 */
final class WsTwoNodeBench {

    static final String REDIS_URL = "redis://127.0.0.1:6379";
    /** A prefix of this run's own: the shared Redis never mixes it with anything else. */
    private static final String PREFIX = "parley-bench-" + UUID.randomUUID();
    /** Both nodes must sign and accept the same tokens. */
    private static final String SECRET = UUID.randomUUID() + "-" + UUID.randomUUID();

    private WsTwoNodeBench() {}

    /** Arguments both nodes get (Bench adds them to node 1, started like every benchmark's server). */
    static List<String> nodeArgs(String name) {
        return List.of(
                "ws2c".equals(name)
                        ? "--spring.data.redis.cluster.nodes=" + clusterNodes()
                        : "--spring.data.redis.url=" + REDIS_URL,
                "--parley.redis.prefix=" + PREFIX,
                "--parley.auth.jwt-secret=" + SECRET);
    }

    private static String clusterNodes() {
        String nodes = System.getProperty("bench.redisClusterNodes", "").strip();
        if (nodes.isEmpty()) {
            throw new IllegalStateException("ws2c needs -Dbench.redisClusterNodes=host:port,... (a running cluster)");
        }
        return nodes;
    }

    static void run(Bench.Context ctx) throws Exception {
        BenchServer node1 = ctx.server();
        if (!node1.managed() || node1.jdbcUrl == null) {
            throw new IllegalStateException("ws2 starts both nodes itself; it cannot use bench.url");
        }
        List<String> args = new ArrayList<>(Bench.serverAppArgs());
        args.addAll(nodeArgs(ctx.name()));
        // Node 2 uses node 1's embedded PostgreSQL (both pools fit its max_connections of 200).
        args.add("--spring.datasource.url=" + node1.jdbcUrl);
        args.add("--spring.datasource.username=postgres");
        try (BenchServer node2 = BenchServer.start(
                Path.of(System.getProperty("bench.jar")),
                ctx.workDir(),
                ctx.name() + "-node2",
                Bench.serverJvmArgs(),
                args,
                Map.of("SPRING_DATASOURCE_PASSWORD", node1.jdbcPassword()))) {
            Api api = ctx.api();
            HttpClient client = HttpClient.newHttpClient();
            String ws1 = wsBase(node1.baseUrl);
            String ws2 = wsBase(node2.baseUrl);
            WsBench.PairFigures split = WsBench.pairs(ctx, api, client, "x", i -> ws1, i -> ws2);
            WsBench.PairFigures balanced =
                    WsBench.pairs(ctx, api, client, "b", i -> i % 2 == 0 ? ws1 : ws2, i -> i % 2 == 0 ? ws2 : ws1);
            int pairs = ctx.intOpt("bench.clients");
            boolean cluster = "ws2c".equals(ctx.name());
            String redis = cluster
                    ? "a Redis Cluster (" + clusterNodes().split(",").length
                            + " nodes on this machine, sharded pub/sub)"
                    : "one Redis (the local one)";
            ctx.report(String.format(
                            """
                    ### 1:1 messages over WebSocket, two nodes%s

                    Two server processes sharing one PostgreSQL (node 1's embedded one) and %s, with a key
                    prefix of the run's own; %d sender/receiver pairs, each in its own direct
                    conversation, every recipient on the other node than its sender, so every `message.new` crosses
                    Redis pub/sub. (a) all senders on node 1, all recipients on node 2; (b) senders split over both
                    nodes, each recipient on the other. Latency from the send to `message.new` arriving on the
                    recipient's device. Aims (as for one node): >= 5,000 msg/s at saturation with p99 < 100 ms;
                    p99 < 10 ms at a steady 1,000 msg/s.

                    %s
                    """,
                            cluster ? ", Redis Cluster" : "",
                            redis,
                            pairs,
                            WsBench.PairFigures.HEADER + split.rows("(a) 1 -> 2, ") + balanced.rows("(b) 1 <-> 2, "))
                    + "\n"
                    + ctx.machine("two nodes on this machine, node 1's embedded PostgreSQL shared, "
                            + (cluster ? "Redis 7 Cluster (" + clusterNodes() + ")" : "local Redis 7")
                            + ", server JVM "
                            + "options " + Bench.serverJvmOptions()
                            + "; clients are JDK java.net.http WebSockets in "
                            + "the load generator process on the same machine"));
        }
    }

    private static String wsBase(String baseUrl) {
        return baseUrl.replaceFirst("^http", "ws") + "/api/v1/ws?access_token=";
    }
}
