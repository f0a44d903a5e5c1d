package dev.parley.realtime.delivery;

import dev.parley.common.LogThrottle;
import dev.parley.common.redis.RedisConditions;
import dev.parley.common.redis.RedisConnections;
import dev.parley.common.redis.RedisKeys;
import dev.parley.realtime.gateway.SessionRegistry;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Primary;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.TextMessage;
import reactor.core.Disposable;

/**
 * Fan-out across nodes through Redis pub/sub, one channel per user ({@code <prefix>:user:<id>}). A node is
 * subscribed to a user's channel while it holds at least one socket of that user, or an event stream's tap
 * ({@link StreamTaps}). An event is delivered to this node's sockets directly and published on each recipient's
 * channel (the publishes go out pipelined, nobody waits for their replies); other nodes hand what they hear to their
 * sockets and taps, and a node ignores its own publishes.
 *
 * <p>Redis is a hint, PostgreSQL the truth: when Redis is down, publishes fail at once (counted in
 * {@code redis_publish_failures_total}, logged at most every ten seconds), local delivery goes on, and clients on
 * other nodes recover what they missed by seq. When the subscription connection comes back, every local user's
 * channel is subscribed again. The same connection carries the recipient caches' invalidations
 * ({@code <prefix>:audience}); while it is down the caches are bypassed (see {@link Audience}).
 *
 * <p>On a Redis Cluster the channels are shard channels ({@code SPUBLISH}/{@code SSUBSCRIBE}, see
 * {@link RedisConnections}): a user's events go only to the shard owning the user's channel, and each
 * subscription to a connection to that shard. When a shard's master fails over (or a slot moves), the server drops
 * those subscriptions ({@code sunsubscribe}) or their connection dies; every channel still wanted is then
 * subscribed again, routed by the new topology, on each topology change the client sees, on each connection it
 * opens or loses and on each {@code sunsubscribe} the server sends; from a lost connection until the audience
 * channel is subscribed again the recipient caches are bypassed. Events published in between reach clients
 * through sync.
 */
@Component
@Primary
@Conditional(RedisConditions.Configured.class)
class RedisFanout implements Fanout, SessionRegistry.Listener {

    private static final Logger log = LoggerFactory.getLogger(RedisFanout.class);

    private final LocalFanout local;
    private final SessionRegistry sessions;
    private final Audience audience;
    private final RedisConnections redis;
    private final StatefulRedisPubSubConnection<String, String> pubsub;
    private final Disposable topology;
    private final String userPrefix;
    private final String audienceChannel;
    private final Counter publishFailures;
    private final StreamTaps taps;
    /** Users with a socket here, and users with an event stream's tap here; both only under {@link #want}'s lock. */
    private final Set<UUID> socketUsers = new HashSet<>();

    private final Set<UUID> tapUsers = new HashSet<>();
    private final LogThrottle warnings = new LogThrottle(Duration.ofSeconds(10));

    RedisFanout(
            LocalFanout local,
            SessionRegistry sessions,
            Audience audience,
            RedisConnections redis,
            RedisKeys keys,
            MeterRegistry registry,
            StreamTaps taps) {
        this.local = local;
        this.taps = taps;
        this.sessions = sessions;
        this.audience = audience;
        this.redis = redis;
        this.userPrefix = keys.name("user") + ":";
        this.audienceChannel = keys.name("audience");
        this.publishFailures = Counter.builder("redis.publish.failures")
                .description("Publishes to Redis that failed (Redis down or too slow); clients recover by seq")
                .register(registry);
        this.pubsub = redis.connectPubSub();
        pubsub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                received(channel, message);
            }

            @Override
            public void smessage(String channel, String message) {
                received(channel, message);
            }

            @Override
            public void sunsubscribed(String channel, long count) {
                // The shard dropped it (failover, slot moved); a lastClosed unsubscribe leaves nobody wanting it.
                if (wanted(channel)) {
                    subscribe(channel);
                }
            }
        });
        pubsub.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
                resubscribe();
            }

            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
                log.warn("redis_subscriptions_lost: recipient caches bypassed until Redis is back");
                audience.trustCache(false);
            }
        });
        redis.subscribe(pubsub, audienceChannel).toCompletableFuture().join();
        this.topology = redis.onShardEvents(
                () -> {
                    // Maybe the audience channel's shard: distrust the caches until it is subscribed again
                    // (at once if its connection is fine, else after the failover).
                    audience.trustCache(false);
                    resubscribe();
                },
                this::resubscribe);
        audience.broadcastTo(this::broadcast);
        sessions.listen(this);
        sessions.users().forEach(this::firstOpened);
        taps.listen(new SessionRegistry.Listener() {
            @Override
            public void firstOpened(UUID userId) {
                want(tapUsers, userId, true);
            }

            @Override
            public void lastClosed(UUID userId) {
                want(tapUsers, userId, false);
            }
        });
        taps.users().forEach(user -> want(tapUsers, user, true));
    }

    @Override
    public void publish(Set<UUID> userIds, Frame frame) {
        local.publish(userIds, frame);
        String message =
                sessions.node() + '\n' + frame.type() + '\n' + frame.message().getPayload();
        for (UUID user : userIds) {
            send(userPrefix + user, message);
        }
    }

    @Override
    public void firstOpened(UUID userId) {
        want(socketUsers, userId, true);
    }

    @Override
    public void lastClosed(UUID userId) {
        want(socketUsers, userId, false);
    }

    /**
     * A user's channel is wanted while they hold a socket or an event stream's tap here. One lock for both, so that
     * the last socket closing as a tap opens (or the other way round) never leaves the unsubscribe last.
     */
    private void want(Set<UUID> holders, UUID user, boolean holds) {
        synchronized (socketUsers) {
            boolean before = socketUsers.contains(user) || tapUsers.contains(user);
            if (holds) {
                holders.add(user);
            } else {
                holders.remove(user);
            }
            boolean after = socketUsers.contains(user) || tapUsers.contains(user);
            if (after && !before) {
                subscribe(userPrefix + user);
            } else if (before && !after) {
                redis.unsubscribe(pubsub, userPrefix + user).exceptionally(e -> null);
            }
        }
    }

    private Set<UUID> wantedUsers() {
        synchronized (socketUsers) {
            Set<UUID> users = new HashSet<>(socketUsers);
            users.addAll(tapUsers);
            return users;
        }
    }

    private void subscribe(String channel) {
        try {
            redis.subscribe(pubsub, channel).exceptionally(e -> {
                // Redis (or the channel's shard) is down: the reconnection or the new topology subscribes it again.
                log.debug("redis_subscribe_failed channel={}", channel, e);
                return null;
            });
        } catch (RuntimeException e) {
            // The connection is already closed (the node is stopping): the socket or stream that asked must still
            // open and close normally, so this is not its failure.
            log.debug("redis_subscribe_failed channel={}", channel, e);
        }
    }

    /** The audience channel, or the channel of a user with a socket or an event stream's tap here. */
    private boolean wanted(String channel) {
        if (channel.equals(audienceChannel)) {
            return true;
        }
        if (!channel.startsWith(userPrefix)) {
            return false;
        }
        try {
            return wantedUsers().contains(UUID.fromString(channel.substring(userPrefix.length())));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private void broadcast(String change) {
        send(audienceChannel, sessions.node() + '\n' + change);
    }

    private void send(String channel, String message) {
        try {
            redis.publish(channel, message).whenComplete((receivers, e) -> {
                if (e != null) {
                    failed(e);
                }
            });
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    private void failed(Throwable e) {
        publishFailures.increment();
        if (warnings.due()) {
            log.warn(
                    "redis_publish_failed: events reach other nodes' clients through sync until Redis is back: {}",
                    e.toString());
        }
    }

    /** Another node's event for one of our users, or its cache invalidation. */
    private void received(String channel, String message) {
        int first = message.indexOf('\n');
        if (first < 0 || message.substring(0, first).equals(sessions.node())) {
            return;
        }
        if (channel.equals(audienceChannel)) {
            audience.forgetRemote(message.substring(first + 1));
            return;
        }
        int second = message.indexOf('\n', first + 1);
        if (second < 0 || !channel.startsWith(userPrefix)) {
            return;
        }
        UUID user;
        try {
            user = UUID.fromString(channel.substring(userPrefix.length()));
        } catch (IllegalArgumentException e) {
            return;
        }
        String type = message.substring(first + 1, second);
        // No origin: the sending socket is on another node, so every socket here gets it.
        local.publish(Set.of(user), new Frame(type, new TextMessage(message.substring(second + 1)), null));
    }

    /**
     * After a reconnection or a cluster topology change: the audience channel first, then every user with a socket
     * or an event stream's tap here. Subscribing a channel again where it already is subscribed changes nothing.
     */
    private void resubscribe() {
        redis.subscribe(pubsub, audienceChannel).whenComplete((ok, e) -> {
            if (e == null) {
                audience.trustCache(true);
                log.info("redis_subscriptions_restored users={}", wantedUsers().size());
            }
        });
        wantedUsers().forEach(user -> subscribe(userPrefix + user));
    }

    @PreDestroy
    void close() {
        sessions.listen(null);
        taps.listen(null);
        topology.dispose();
        pubsub.close();
    }
}
