package dev.parley.config;

import dev.parley.common.LogThrottle;
import dev.parley.common.redis.RedisConnections;
import dev.parley.common.redis.RedisKeys;
import dev.parley.common.redis.RedisScript;
import io.lettuce.core.KeyValue;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Read-your-writes: per user, whether a write is in progress and where the primary's WAL stood after their last
 * one ({@code pg_current_wal_insert_lsn()}, at or past the write's commit record). A replica serves the user only
 * once it has replayed that far. Kept in this node's memory and, with Redis, in one hash per user
 * ({@code <prefix>:replica-pin:<user>}: {@code pending}, {@code lsn}) that every node reads, so a client whose
 * next request lands on another node still reads its write. Forgotten after {@link ReplicaProperties#pinRetention}:
 * by then every replica still in use has replayed it. When Redis cannot answer, the user reads the primary.
 */
final class ReplicaPins {

    /** What {@link #required} answers when only the primary will do. */
    static final long PRIMARY_ONLY = Long.MAX_VALUE;

    private static final Logger log = LoggerFactory.getLogger(ReplicaPins.class);

    /** A write that has not ended holds the key at least this long (a node that died mid-write lets it expire). */
    private static final Duration PENDING_HOLD = Duration.ofSeconds(60);

    private static final String BEGIN = """
            redis.call('HINCRBY', KEYS[1], 'pending', 1)
            redis.call('PEXPIRE', KEYS[1], ARGV[1])
            return 1""";

    private static final String END = """
            local lsn = tonumber(redis.call('HGET', KEYS[1], 'lsn') or '0')
            if tonumber(ARGV[1]) > lsn then redis.call('HSET', KEYS[1], 'lsn', ARGV[1]) end
            local pending = redis.call('HINCRBY', KEYS[1], 'pending', -1)
            if pending < 0 then redis.call('HSET', KEYS[1], 'pending', 0); pending = 0 end
            redis.call('PEXPIRE', KEYS[1], pending > 0 and ARGV[3] or ARGV[2])
            return 1""";

    /** This node's knowledge of a user's writes: how many are in progress, the WAL after the last one, when. */
    private record Pin(int writing, long lsn, long endedAt) {}

    private final Map<UUID, Pin> local = new ConcurrentHashMap<>();
    private final JdbcClient primary;
    private final RedisConnections redis;
    private final RedisKeys keys;
    private final RedisScript begin;
    private final RedisScript end;
    private final long retentionNanos;
    private final Duration retention;
    private final LogThrottle redisFailures = new LogThrottle(Duration.ofMinutes(1));

    /** {@code redis} and {@code keys} null without Redis. */
    ReplicaPins(DataSource primary, Duration retention, RedisConnections redis, RedisKeys keys) {
        this.primary = JdbcClient.create(primary);
        this.retention = retention;
        this.retentionNanos = retention.toNanos();
        this.redis = redis;
        this.keys = keys;
        this.begin = redis == null ? null : RedisScript.of(redis.sync(), BEGIN);
        this.end = redis == null ? null : RedisScript.of(redis.sync(), END);
    }

    /** A write by {@code user} begins. */
    void begin(UUID user) {
        local.compute(
                user,
                (id, pin) -> pin == null
                        ? new Pin(1, 0, System.nanoTime())
                        : new Pin(pin.writing() + 1, pin.lsn(), pin.endedAt()));
        if (redis != null) {
            try {
                begin.run(redis.sync(), ScriptOutputType.INTEGER, new String[] {key(user)}, millis(PENDING_HOLD));
            } catch (RuntimeException e) {
                redisFailed(e);
            }
        }
    }

    /** The write ended (committed or not): remember where the primary's WAL is now. */
    void end(UUID user) {
        long lsn;
        try {
            lsn = primary.sql("SELECT (pg_current_wal_insert_lsn() - '0/0'::pg_lsn)::bigint")
                    .query(Long.class)
                    .single();
        } catch (RuntimeException e) {
            // Not known: the primary, until the pin expires.
            lsn = PRIMARY_ONLY;
        }
        long at = System.nanoTime();
        long written = lsn;
        local.computeIfPresent(
                user, (id, pin) -> new Pin(Math.max(0, pin.writing() - 1), Math.max(pin.lsn(), written), at));
        if (redis != null) {
            try {
                end.run(
                        redis.sync(),
                        ScriptOutputType.INTEGER,
                        new String[] {key(user)},
                        Long.toString(Math.min(lsn, 1L << 52)),
                        millis(retention),
                        millis(PENDING_HOLD));
            } catch (RuntimeException e) {
                redisFailed(e);
            }
        }
    }

    /**
     * The WAL position a replica must have replayed to serve {@code user}: 0 when they wrote nothing lately,
     * {@link #PRIMARY_ONLY} while they are writing or when it cannot be known.
     */
    long required(UUID user) {
        long needed = 0;
        Pin pin = local.get(user);
        if (pin != null) {
            if (pin.writing() > 0) {
                return PRIMARY_ONLY;
            }
            needed = pin.lsn();
        }
        if (redis == null) {
            return needed;
        }
        try {
            List<KeyValue<String, String>> values = redis.sync().hmget(key(user), "pending", "lsn");
            if (values.get(0).hasValue() && Long.parseLong(values.get(0).getValue()) > 0) {
                return PRIMARY_ONLY;
            }
            if (values.get(1).hasValue()) {
                needed = Math.max(needed, Long.parseLong(values.get(1).getValue()));
            }
            return needed;
        } catch (RuntimeException e) {
            redisFailed(e);
            return PRIMARY_ONLY;
        }
    }

    /** Forgets this node's pins that every replica has replayed, or that are older than the retention. */
    void prune(long replayedByAll) {
        long now = System.nanoTime();
        local.entrySet().removeIf(entry -> {
            Pin pin = entry.getValue();
            return pin.writing() == 0 && (pin.lsn() <= replayedByAll || now - pin.endedAt() > retentionNanos);
        });
    }

    int size() {
        return local.size();
    }

    private String key(UUID user) {
        return keys.name("replica-pin", user);
    }

    private void redisFailed(RuntimeException e) {
        if (redisFailures.due()) {
            log.warn("replica_pins_redis_failed cause=\"{}\"; those users read the primary", e.toString());
        }
    }

    private static String millis(Duration duration) {
        return Long.toString(Math.max(1, duration.toMillis()));
    }
}
