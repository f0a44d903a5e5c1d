package dev.parley.realtime.delivery;

import java.util.Set;
import java.util.UUID;

/**
 * Hands a frame to every connected device of the given users. In process by default ({@link LocalFanout}); a
 * cross-node implementation (Redis pub/sub, one channel per user) can take its place behind this interface.
 * Delivery is best effort: a device that misses a frame recovers by seq.
 */
interface Fanout {

    void publish(Set<UUID> userIds, Frame frame);
}
