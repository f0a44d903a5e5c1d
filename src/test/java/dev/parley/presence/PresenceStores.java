package dev.parley.presence;

import dev.parley.common.redis.RedisConnections;
import dev.parley.common.redis.RedisKeys;

/** The stores, made outside Spring for the presence benchmark (dev.parley.bench), with the default timing. */
public final class PresenceStores {

    private PresenceStores() {}

    public static PresenceStore inProcess() {
        return new InMemoryPresenceStore(PresenceStoreContract.TIMING);
    }

    /** A Redis store whose keys live under {@code prefix}. */
    public static PresenceStore redis(RedisConnections connections, String prefix) {
        return new RedisPresenceStore(connections, new RedisKeys(prefix), PresenceStoreContract.TIMING);
    }
}
