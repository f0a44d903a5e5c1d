package dev.parley.common.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.cluster.event.ClusterTopologyChangedEvent;
import io.lettuce.core.event.connection.ConnectionActivatedEvent;
import io.lettuce.core.event.connection.DisconnectedEvent;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.util.function.Supplier;
import reactor.core.Disposable;

/**
 * The one shared command connection to Redis, whichever shape it has: one server or a master found through
 * Sentinel ({@link RedisClient}), or a Redis Cluster ({@link RedisClusterClient}, which routes each command to the
 * master owning its key's slot). Stores use the commands every shape offers ({@link RedisClusterCommands}); the
 * fan-out publishes and subscribes through {@link #publish} and {@link #subscribe}, which use sharded pub/sub
 * ({@code SPUBLISH}/{@code SSUBSCRIBE}) on a cluster, so a message goes only to the shard owning its channel
 * rather than to every node, and plain {@code PUBLISH}/{@code SUBSCRIBE} elsewhere.
 */
public final class RedisConnections implements AutoCloseable {

    private final AbstractRedisClient client;
    private final StatefulConnection<String, String> connection;
    private final RedisClusterCommands<String, String> sync;
    private final RedisClusterAsyncCommands<String, String> async;
    private final Supplier<StatefulRedisPubSubConnection<String, String>> pubsub;
    private final boolean sharded;

    private RedisConnections(
            AbstractRedisClient client,
            StatefulConnection<String, String> connection,
            RedisClusterCommands<String, String> sync,
            RedisClusterAsyncCommands<String, String> async,
            Supplier<StatefulRedisPubSubConnection<String, String>> pubsub,
            boolean sharded) {
        this.client = client;
        this.connection = connection;
        this.sync = sync;
        this.async = async;
        this.pubsub = pubsub;
        this.sharded = sharded;
    }

    /** One server, or the master its Sentinels name (a Sentinel {@code RedisURI}); connects now. */
    public static RedisConnections of(RedisClient client) {
        var connection = client.connect();
        return new RedisConnections(
                client, connection, connection.sync(), connection.async(), client::connectPubSub, false);
    }

    /** A Redis Cluster; connects now (to the seeds, then to each master as commands need it). */
    public static RedisConnections of(RedisClusterClient client) {
        var connection = client.connect();
        return new RedisConnections(
                client, connection, connection.sync(), connection.async(), client::connectPubSub, true);
    }

    public RedisClusterCommands<String, String> sync() {
        return sync;
    }

    public RedisClusterAsyncCommands<String, String> async() {
        return async;
    }

    /** A Redis Cluster: pub/sub is sharded. */
    public boolean sharded() {
        return sharded;
    }

    /**
     * A new subscriber connection. On a cluster, channels subscribed through it are each sent to the shard owning
     * the channel's slot, and its listeners hear their messages as {@code smessage}.
     */
    public StatefulRedisPubSubConnection<String, String> connectPubSub() {
        return pubsub.get();
    }

    /** {@code SPUBLISH} on a cluster (to the channel's shard only), {@code PUBLISH} elsewhere. */
    public RedisFuture<Long> publish(String channel, String message) {
        return sharded ? async.spublish(channel, message) : async.publish(channel, message);
    }

    /** One channel: {@code SSUBSCRIBE} on a cluster, routed by the channel's slot, {@code SUBSCRIBE} elsewhere. */
    public RedisFuture<Void> subscribe(StatefulRedisPubSubConnection<String, String> pubsub, String channel) {
        return sharded ? pubsub.async().ssubscribe(channel) : pubsub.async().subscribe(channel);
    }

    public RedisFuture<Void> unsubscribe(StatefulRedisPubSubConnection<String, String> pubsub, String channel) {
        return sharded ? pubsub.async().sunsubscribe(channel) : pubsub.async().unsubscribe(channel);
    }

    /**
     * On a cluster, where subscriptions live on connections to each shard rather than on one connection: calls
     * {@code lost} when any of the client's connections drops (a shard's subscriptions may be gone with it), and
     * {@code changed} when the client sees the topology change (a failover, a slot moved) or opens a connection
     * (a node back, or newly used). Never on one server or Sentinel, where the subscriber connection's own state
     * says it all. Dispose the result to stop.
     */
    public Disposable onShardEvents(Runnable lost, Runnable changed) {
        if (!sharded) {
            return () -> {};
        }
        return client.getResources().eventBus().get().subscribe(event -> {
            if (event instanceof DisconnectedEvent) {
                lost.run();
            } else if (event instanceof ClusterTopologyChangedEvent || event instanceof ConnectionActivatedEvent) {
                changed.run();
            }
        });
    }

    /** Closes the command connection; the client itself is shut down by its owner. */
    @Override
    public void close() {
        connection.close();
    }
}
