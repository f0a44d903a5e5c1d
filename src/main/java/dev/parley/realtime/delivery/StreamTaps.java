package dev.parley.realtime.delivery;

import dev.parley.realtime.gateway.SessionRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.springframework.stereotype.Component;

/**
 * The event streams of this node that take the live frames the catch-up log never holds, so that a client without
 * a WebSocket still hears of them. Today that is {@code request.updated} alone: a request's recipient is in no
 * conversation's audience, so the log has nothing for them until they accept. Typing and presence stay
 * WebSocket-only. The fan-out hands each such frame (from this node, or from another through Redis) to the taps of
 * its recipients; with Redis a node listens on a user's channel while it holds a socket or a tap of theirs.
 */
@Component
public class StreamTaps {

    /** The frame types a tap receives. */
    static final Set<String> TYPES = Set.of(EventFrames.REQUEST_UPDATED);

    private final Map<UUID, List<Consumer<String>>> byUser = new ConcurrentHashMap<>();
    private volatile SessionRegistry.Listener listener;

    /**
     * Hands each frame of {@link #TYPES} for {@code user} to {@code tap} (the frame's JSON {@code {type, data}}),
     * on the delivering thread, until the returned handle is run. The tap must not block.
     */
    public Runnable open(UUID user, Consumer<String> tap) {
        byUser.compute(user, (u, list) -> {
            SessionRegistry.Listener told = listener;
            if (list == null && told != null) {
                told.firstOpened(u);
            }
            List<Consumer<String>> out = list == null ? new ArrayList<>(1) : new ArrayList<>(list);
            out.add(tap);
            return List.copyOf(out);
        });
        return () -> byUser.computeIfPresent(user, (u, list) -> {
            List<Consumer<String>> out = new ArrayList<>(list);
            if (!out.remove(tap)) {
                return list;
            }
            SessionRegistry.Listener told = listener;
            if (out.isEmpty()) {
                if (told != null) {
                    told.lastClosed(u);
                }
                return null;
            }
            return List.copyOf(out);
        });
    }

    /** Told, inside the per-user update, when a user's first tap on this node opens and their last one closes. */
    void listen(SessionRegistry.Listener listener) {
        this.listener = listener;
    }

    /** The users with a tap here. */
    Set<UUID> users() {
        return byUser.keySet();
    }

    void deliver(Set<UUID> userIds, Frame frame) {
        if (byUser.isEmpty() || !TYPES.contains(frame.type())) {
            return;
        }
        for (UUID user : userIds) {
            for (Consumer<String> tap : byUser.getOrDefault(user, List.of())) {
                tap.accept(frame.message().getPayload());
            }
        }
    }
}
