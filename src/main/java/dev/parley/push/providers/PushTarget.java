package dev.parley.push.providers;

import dev.parley.push.Platform;
import java.util.UUID;

/**
 * Where a push goes: the device's provider token, or for Web Push the subscription's endpoint ({@code token})
 * and its keys; {@code session}, the Parley session that registered it (null for a host app's token), so that a
 * read's {@code conversation.read} skips the device that read.
 */
public record PushTarget(UUID deviceId, Platform platform, String token, String p256dh, String auth, UUID session) {}
