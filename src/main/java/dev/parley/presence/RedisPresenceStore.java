package dev.parley.presence;

import dev.parley.common.redis.RedisConditions;
import dev.parley.common.redis.RedisConnections;
import dev.parley.common.redis.RedisKeys;
import dev.parley.common.redis.RedisScript;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.context.annotation.Conditional;
import org.springframework.stereotype.Component;

/**
 * Presence shared by every node. Per user a hash {@code <prefix>:{presence:<b>}:<user>}: one field per device
 * ({@code d:<device>} = {@code <expires-ms>|o} or {@code |a}), the last announced {@code status} and when
 * ({@code at}, ms), since when the user has had no device while announced otherwise ({@code off}, ms) and
 * {@code seen} (ms). A Lua script applies an update, recomputes the status and decides whether it is to be
 * announced now (the debounce and offline grace of {@link PresenceProperties}) in one step, so of several nodes
 * exactly one sees each transition. A sorted set {@code <prefix>:{presence:<b>}:due} holds each user's earliest device
 * expiry or held-back announcement, which lets any node find devices whose node died without saying goodbye, and
 * announcements that have come due. The hash itself expires a TTL after its last device would, and the sorted set
 * a day after its last write, so nothing outlives a whole cluster going away.
 *
 * <p>{@code <b>} is the last hex digit of the user id: the script touches a user's hash and a due set together, so
 * on a Redis Cluster both must be in one slot, and sixteen buckets (each its own hash tag) spread presence over
 * sixteen slots rather than one, at the price of sixteen range reads per expiry sweep.
 *
 * <p>Each node also keeps a marker key of its own ({@code <prefix>:presence:node:<id>}), rewritten on every
 * {@link #lostSinceAsked} call with a TTL far longer than the interval between calls. Finding it gone means Redis
 * lost its data (restarted without persistence, or flushed), so the node's devices must be registered again.
 */
@Component
@Conditional(RedisConditions.Configured.class)
class RedisPresenceStore implements PresenceStore {

    /**
     * KEYS: hash, due. ARGV: user, device, op (o, a, k, g, or empty: just settle), now ms, ttl ms, write (1/0),
     * debounce ms, offline grace ms. Returns the announced status before and after, the device count, seen, and the
     * status the devices make now.
     */
    private static final String SCRIPT = """
            local now = tonumber(ARGV[4])
            local ttl = tonumber(ARGV[5])
            local h = redis.call('HGETALL', KEYS[1])
            local before, seen, at, off, devices = 'offline', '', nil, nil, {}
            for i = 1, #h, 2 do
              local f, v = h[i], h[i + 1]
              if f == 'status' then before = v
              elseif f == 'seen' then seen = v
              elseif f == 'at' then at = tonumber(v)
              elseif f == 'off' then off = tonumber(v)
              elseif string.sub(f, 1, 2) == 'd:' then
                if tonumber(string.sub(v, 1, -3)) > now then devices[f] = v
                elseif ARGV[6] == '1' then redis.call('HDEL', KEYS[1], f) end
              end
            end
            local op, f = ARGV[3], 'd:' .. ARGV[2]
            if op == 'g' then
              devices[f] = nil
              redis.call('HDEL', KEYS[1], f)
              seen = ARGV[4]
            elseif op ~= '' then
              local state = op
              if op == 'k' then
                state = devices[f] and string.sub(devices[f], -1) or 'o'
              end
              devices[f] = tostring(now + ttl) .. '|' .. state
              redis.call('HSET', KEYS[1], f, devices[f])
              seen = ARGV[4]
            end
            local count, online, first, last = 0, false, nil, 0
            for _, v in pairs(devices) do
              count = count + 1
              if string.sub(v, -1) == 'o' then online = true end
              local exp = tonumber(string.sub(v, 1, -3))
              if first == nil or exp < first then first = exp end
              if exp > last then last = exp end
            end
            local live = 'offline'
            if count > 0 then live = online and 'online' or 'away' end
            if live == 'offline' then off = off or now else off = nil end
            local after, pending = before, nil
            if live ~= before then
              local ready = at and (at + tonumber(ARGV[7])) or now
              if off and off + tonumber(ARGV[8]) > ready then ready = off + tonumber(ARGV[8]) end
              if ready <= now then
                after, at = live, now
              else
                pending = ready
              end
            end
            if ARGV[6] == '1' then
              redis.call('HSET', KEYS[1], 'status', after, 'seen', seen)
              if at then redis.call('HSET', KEYS[1], 'at', at) end
              if off then redis.call('HSET', KEYS[1], 'off', off) else redis.call('HDEL', KEYS[1], 'off') end
              local due = first
              if pending and (due == nil or pending < due) then due = pending end
              if due then
                redis.call('ZADD', KEYS[2], due, ARGV[1])
              else
                redis.call('ZREM', KEYS[2], ARGV[1])
              end
              if count > 0 then
                redis.call('PEXPIRE', KEYS[1], last - now + ttl)
              else
                redis.call('PEXPIRE', KEYS[1], ttl)
              end
              -- Touched on every write; only a Redis no node has used for a day lets it go.
              redis.call('PEXPIRE', KEYS[2], 86400000)
            end
            return {before, after, tostring(count), seen, live}
            """;

    private static final int EXPIRE_BATCH = 500;
    /** Far longer than the few seconds between checks, so only a loss of Redis's data makes the marker vanish. */
    private static final Duration MARKER_TTL = Duration.ofMinutes(2);

    private static final String BUCKETS = "0123456789abcdef";

    /** How long a batch of presence reads may take before the push rule counts everyone offline. */
    private static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(5);

    private final RedisClusterCommands<String, String> redis;
    private final RedisClusterAsyncCommands<String, String> async;
    private final RedisKeys keys;
    private final RedisScript script;
    private final String marker;
    /** Settling without a device op uses a TTL only for the hash's own expiry. */
    private static final Duration SETTLE_TTL = Duration.ofMinutes(2);

    private final String debounce;
    private final String offlineGrace;

    RedisPresenceStore(RedisConnections connections, RedisKeys keys, PresenceProperties properties) {
        this.debounce = Long.toString(properties.debounce().toMillis());
        this.offlineGrace = Long.toString(properties.offlineGrace().toMillis());
        this.redis = connections.sync();
        this.async = connections.async();
        this.keys = keys;
        this.script = RedisScript.of(redis, SCRIPT);
        this.marker = keys.name("presence", "node", UUID.randomUUID());
    }

    @Override
    public boolean lostSinceAsked() {
        return redis.setGet(marker, "1", SetArgs.Builder.px(MARKER_TTL.toMillis())) == null;
    }

    @Override
    public Change update(UUID userId, String device, Update update, Instant now, Duration ttl) {
        String op = switch (update) {
            case ONLINE -> "o";
            case AWAY -> "a";
            case KEEP -> "k";
            case GONE -> "g";
        };
        return change(userId, device, op, now, ttl);
    }

    @Override
    public List<Change> expire(Instant now) {
        List<Change> changes = new ArrayList<>();
        List<String> users = new ArrayList<>();
        for (int b = 0; b < BUCKETS.length(); b++) {
            users.addAll(redis.zrangebyscore(
                    keys.slot("presence", BUCKETS.charAt(b)) + ":due",
                    Range.create(Double.NEGATIVE_INFINITY, (double) now.toEpochMilli()),
                    Limit.create(0, EXPIRE_BATCH)));
        }
        for (String user : users) {
            Change change = change(UUID.fromString(user), "", "", now, SETTLE_TTL);
            if (change.transition()) {
                changes.add(change);
            }
        }
        return changes;
    }

    /**
     * One {@code HVALS} per user, all sent before any answer is awaited (Lettuce pipelines them on the shared
     * connection; on a Cluster each goes to its slot's node): only device values hold a {@code |}, and a device
     * counts while its expiry is ahead and it is not away, as the script's status says. Read-only, like
     * {@link #current}: expired devices are left to {@link #expire}.
     */
    @Override
    public Set<UUID> onlineAmong(Collection<UUID> userIds, Instant now) {
        List<UUID> users = List.copyOf(userIds);
        List<RedisFuture<List<String>>> answers = new ArrayList<>(users.size());
        for (UUID userId : users) {
            answers.add(async.hvals(hash(userId)));
        }
        if (!LettuceFutures.awaitAll(LOOKUP_TIMEOUT, answers.toArray(RedisFuture[]::new))) {
            throw new RedisCommandTimeoutException(
                    "presence of " + users.size() + " users not read within " + LOOKUP_TIMEOUT.toMillis() + " ms");
        }
        long nowMillis = now.toEpochMilli();
        Set<UUID> online = new HashSet<>();
        for (int i = 0; i < users.size(); i++) {
            for (String value : answers.get(i).toCompletableFuture().join()) {
                int bar = value.indexOf('|');
                if (bar > 0 && value.endsWith("|o") && Long.parseLong(value, 0, bar, 10) > nowMillis) {
                    online.add(users.get(i));
                    break;
                }
            }
        }
        return online;
    }

    @Override
    public Snapshot current(UUID userId, Instant now) {
        List<Object> out = run(userId, "", "", now, SETTLE_TTL, false);
        return new Snapshot((String) out.get(4), Integer.parseInt((String) out.get(2)), seen(out));
    }

    private Change change(UUID userId, String device, String op, Instant now, Duration ttl) {
        List<Object> out = run(userId, device, op, now, ttl, true);
        return new Change(
                userId,
                (String) out.get(0),
                new Snapshot((String) out.get(1), Integer.parseInt((String) out.get(2)), seen(out)));
    }

    private List<Object> run(UUID userId, String device, String op, Instant now, Duration ttl, boolean write) {
        String slot = keys.slot("presence", bucket(userId));
        String[] scriptKeys = {hash(userId), slot + ":due"};
        return script.run(
                redis,
                ScriptOutputType.MULTI,
                scriptKeys,
                userId.toString(),
                device,
                op,
                String.valueOf(now.toEpochMilli()),
                String.valueOf(ttl.toMillis()),
                write ? "1" : "0",
                debounce,
                offlineGrace);
    }

    private String hash(UUID userId) {
        return keys.slot("presence", bucket(userId)) + ":" + userId;
    }

    /** The last hex digit: random in every UUID version Parley makes. */
    private static char bucket(UUID userId) {
        String id = userId.toString();
        return id.charAt(id.length() - 1);
    }

    private static Instant seen(List<Object> out) {
        String seen = (String) out.get(3);
        return seen.isEmpty() ? null : Instant.ofEpochMilli(Long.parseLong(seen));
    }
}
