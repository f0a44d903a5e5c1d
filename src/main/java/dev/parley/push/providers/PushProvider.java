package dev.parley.push.providers;

import dev.parley.push.Platform;
import java.util.concurrent.CompletableFuture;

/** One push service. Sends never throw: every failure is an {@link Outcome}. */
public interface PushProvider {

    Platform platform();

    /** False when its settings are absent: this node then leaves its platform's pushes to nodes that have them. */
    boolean configured();

    CompletableFuture<Outcome> send(PushTarget target, PushPayload payload);
}
