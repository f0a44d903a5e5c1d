package dev.parley.presence;

/**
 * The presence store lost this node's devices (Redis restarted empty, or was flushed): whoever holds connected
 * devices registers them again with {@link PresenceService#restore}.
 */
public record PresenceStoreLost() {}
