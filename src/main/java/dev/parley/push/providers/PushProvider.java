package dev.parley.push.providers;

import dev.parley.push.Platform;
import java.util.concurrent.CompletableFuture;

/** One push service. Sends never throw: every failure is an {@link Outcome}. */
public interface PushProvider {

    Platform platform();

    /** False when its settings are absent; its pushes are then dropped. */
    boolean configured();

    CompletableFuture<Outcome> send(PushTarget target, PushPayload payload);
}
