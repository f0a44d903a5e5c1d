package dev.parley.support;

import static org.awaitility.Awaitility.await;

import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A Redis Cluster of a test's own on loopback: {@code masters} masters, each with one replica, every node a
 * {@code redis-server} in cluster mode ({@link RedisServer}, so skipped without the binary except on CI), its
 * {@code nodes.conf} in a temporary directory. Slots are split evenly over the masters with {@code CLUSTER
 * ADDSLOTSRANGE}, the nodes meet and the replicas attach with {@code CLUSTER MEET}/{@code REPLICATE}, which is what
 * {@code redis-cli --cluster create} sends. A node is declared failed after one second unanswered, and a replica
 * may always take over ({@code cluster-replica-validity-factor 0}), so a killed master is replaced within seconds.
 */
public final class RedisCluster implements AutoCloseable {

    private static final int SLOTS = 16384;

    private final Path dir;
    private final List<RedisServer> nodes = new ArrayList<>();
    private final List<RedisServer> killed = new ArrayList<>();
    /** Each node's cluster bus port, chosen free rather than the default port + 10000. */
    private final List<Integer> busPorts = new ArrayList<>();
    /** One client (event loops and all) for every admin command; a connection per command. */
    private final RedisClient admin = RedisClient.create();

    private RedisCluster(Path dir) {
        this.dir = dir;
    }

    public static RedisCluster start(int masters) {
        Path dir;
        try {
            dir = Files.createTempDirectory("parley-redis-cluster-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        RedisCluster cluster = new RedisCluster(dir);
        try {
            for (int i = 0; i < 2 * masters; i++) {
                int bus = RedisServer.freePort();
                cluster.busPorts.add(bus);
                cluster.nodes.add(RedisServer.start(
                        "--cluster-enabled",
                        "yes",
                        "--cluster-port",
                        Integer.toString(bus),
                        "--cluster-config-file",
                        dir.resolve("nodes-" + i + ".conf").toString(),
                        "--dir",
                        dir.toString(),
                        "--cluster-node-timeout",
                        "1000",
                        "--cluster-replica-validity-factor",
                        "0"));
            }
            cluster.form(masters);
            return cluster;
        } catch (IOException | RuntimeException e) {
            cluster.close();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    private void form(int masters) {
        List<String> ids = new ArrayList<>();
        for (RedisServer node : nodes) {
            ids.add(on(node, RedisCommands::clusterMyId));
        }
        for (int i = 1; i < nodes.size(); i++) {
            // CLUSTER MEET ip port bus-port: Lettuce's clusterMeet has no bus port argument.
            CommandArgs<String, String> meet = new CommandArgs<>(StringCodec.UTF8)
                    .add("MEET")
                    .add("127.0.0.1")
                    .add(nodes.get(i).port())
                    .add(busPorts.get(i));
            on(nodes.get(0), redis -> redis.dispatch(CommandType.CLUSTER, new StatusOutput<>(StringCodec.UTF8), meet));
        }
        for (int m = 0; m < masters; m++) {
            int from = m * SLOTS / masters;
            int to = (m + 1) * SLOTS / masters - 1;
            on(nodes.get(m), redis -> redis.clusterAddSlotsRange(Range.create(from, to)));
        }
        // Every node must know every other before a replica can name its master.
        await().atMost(Duration.ofSeconds(20))
                .until(() -> nodes.stream()
                        .allMatch(node ->
                                on(node, RedisCommands::clusterNodes).lines().count() == nodes.size()));
        for (int r = 0; r < masters; r++) {
            String master = ids.get(r);
            on(nodes.get(masters + r), redis -> redis.clusterReplicate(master));
        }
        awaitHealthy();
    }

    /** Every live node says the cluster is ok and sees a master for every slot. */
    public void awaitHealthy() {
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> nodes.stream()
                        .filter(node -> !killed.contains(node))
                        .allMatch(node -> on(node, RedisCommands::clusterInfo).contains("cluster_state:ok")));
    }

    /** {@code host:port,...} of every node, as {@code spring.data.redis.cluster.nodes} takes them. */
    public String seeds() {
        return nodes.stream().map(node -> "127.0.0.1:" + node.port()).collect(Collectors.joining(","));
    }

    /** The master serving {@code key}'s slot now, as a live node sees the cluster. */
    public RedisServer masterOf(String key) {
        RedisServer any = live();
        int slot = on(any, redis -> redis.clusterKeyslot(key)).intValue();
        for (String line : on(any, RedisCommands::clusterNodes).lines().toList()) {
            String[] f = line.split(" ");
            if (!f[2].contains("master") || f[2].contains("fail")) {
                continue;
            }
            for (int i = 8; i < f.length; i++) {
                String[] range = f[i].split("-");
                if (range[0].startsWith("[")) {
                    continue;
                }
                int from = Integer.parseInt(range[0]);
                int to = range.length > 1 ? Integer.parseInt(range[1]) : from;
                if (slot >= from && slot <= to) {
                    return byPort(Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1, f[1].indexOf('@'))));
                }
            }
        }
        throw new IllegalStateException("no live master serves slot " + slot);
    }

    /** The masters that are up. */
    public List<RedisServer> masters() {
        return nodes.stream()
                .filter(node -> !killed.contains(node))
                .filter(node -> on(node, RedisCommands::info).contains("role:master"))
                .toList();
    }

    /** SIGKILL by PID, as a crash would; the node stays down. */
    public void kill(RedisServer node) {
        killed.add(node);
        node.kill();
    }

    /** A command on one node (a connection of its own, closed after). */
    public <T> T on(RedisServer node, Function<RedisCommands<String, String>, T> command) {
        try (StatefulRedisConnection<String, String> connection =
                admin.connect(RedisURI.create("127.0.0.1", node.port()))) {
            return command.apply(connection.sync());
        }
    }

    private RedisServer live() {
        return nodes.stream().filter(node -> !killed.contains(node)).findFirst().orElseThrow();
    }

    private RedisServer byPort(int port) {
        return nodes.stream().filter(n -> n.port() == port).findFirst().orElseThrow();
    }

    /** Stops every node by PID and removes the directory. */
    @Override
    public void close() {
        try {
            admin.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            nodes.forEach(RedisServer::close);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder())
                        .forEach(path -> path.toFile().delete());
            } catch (IOException ignored) {
                // a temp directory left behind is harmless
            }
        }
    }
}
