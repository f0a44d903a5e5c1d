package dev.parley.realtime.gateway;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.parley.common.ErrorCode;
import dev.parley.common.Outages;
import dev.parley.common.ParleyException;
import dev.parley.common.UnavailableException;
import dev.parley.presence.PresenceService;
import dev.parley.presence.TypingService;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.TextMessage;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Client frames to service calls, the same services as REST: {@code message.send}, {@code typing.start},
 * {@code typing.stop}, {@code message.read}, {@code presence.heartbeat} (optional {@code status}: {@code online}
 * or {@code away}), {@code ping}. Every failure becomes an {@code error} frame with the
 * contract's codes; a bad frame never closes the socket.
 */
@Component
class FrameDispatcher {

    private static final Logger log = LoggerFactory.getLogger(FrameDispatcher.class);

    record ErrorData(
            String code,
            String message,
            Map<String, Object> details,
            @JsonInclude(JsonInclude.Include.NON_NULL) String clientMessageId) {}

    private final JsonMapper json;
    private final Frames frames;
    private final FrameWrites writes;
    private final TypingService typing;
    private final PresenceService presence;
    private final Outages outages;

    FrameDispatcher(
            JsonMapper json,
            Frames frames,
            FrameWrites writes,
            TypingService typing,
            PresenceService presence,
            Outages outages) {
        this.outages = outages;
        this.presence = presence;
        this.json = json;
        this.frames = frames;
        this.writes = writes;
        this.typing = typing;
    }

    /**
     * Handles one client frame; returns the answer for the sender's socket, or null when there is none. The
     * services hear of {@code device} as the origin of the changes the frame makes, and their events carry it, so
     * that this socket, which has its answer, is not sent the event as well.
     */
    TextMessage handle(Connection connection, String device, String payload) {
        UUID caller = connection.userId();
        String clientMessageId = null;
        try {
            JsonNode frame = json.readTree(payload);
            if (frame == null || !frame.isObject() || !frame.path("type").isString()) {
                throw ParleyException.validation("type", "A frame is a JSON object {\"type\": ..., \"data\": {...}}");
            }
            JsonNode data = frame.path("data");
            if (!data.isMissingNode() && !data.isNull() && !data.isObject()) {
                throw ParleyException.validation("data", "data must be a JSON object");
            }
            if (data.isObject() && data.path("client_message_id").isString()) {
                clientMessageId = data.path("client_message_id").asString();
            }
            return switch (frame.path("type").asString()) {
                case "message.send" -> writes.send(caller, device, uuid(data, "conversation_id"), data);
                case "typing.start" -> {
                    typing.start(caller, uuid(data, "conversation_id"), device);
                    yield null;
                }
                case "typing.stop" -> {
                    typing.stop(caller, uuid(data, "conversation_id"), device);
                    yield null;
                }
                case "message.read" -> {
                    writes.read(
                            caller,
                            device,
                            uuid(data, "message_id"),
                            connection.caller().sessionId());
                    yield null;
                }
                case "presence.heartbeat" -> {
                    Boolean away = away(data);
                    presence.report(caller, device, away);
                    if (away != null) {
                        // Kept on the socket, to register the device as it was should Redis lose presence.
                        connection.away(away);
                    }
                    yield null;
                }
                case "ping" -> frames.encode(Frames.PONG, data.isObject() ? data : Map.of());
                default ->
                    throw ParleyException.validation(
                            "type", "Unknown frame type: " + frame.path("type").asString());
            };
        } catch (ParleyException e) {
            if (e instanceof UnavailableException unavailable) {
                outages.refused(unavailable, "websocket frame");
            }
            return error(e.code(), e.getMessage(), e.details(), clientMessageId);
        } catch (JacksonException e) {
            return error(ErrorCode.VALIDATION_FAILED, "Malformed JSON", Map.of(), clientMessageId);
        } catch (RuntimeException e) {
            // An outage, however wrapped, is the same 503 as over REST (details.retry_after says when to retry).
            UnavailableException unavailable = Outages.classify(e);
            if (unavailable != null) {
                outages.refused(unavailable, "websocket frame");
                return error(unavailable.code(), unavailable.getMessage(), unavailable.details(), clientMessageId);
            }
            log.error("websocket_frame_failed user_id={}", caller, e);
            return error(ErrorCode.INTERNAL_ERROR, "Internal error", Map.of(), clientMessageId);
        }
    }

    /**
     * The answer to a frame over the socket's rate, not handled: RATE_LIMIT_EXCEEDED with {@code details.limit}
     * "frames" and {@code retry_after} (whole seconds, at least 1), and the frame's {@code client_message_id} when
     * it has one, so that a client can match a refused send.
     */
    TextMessage tooFast(String payload, long waitNanos) {
        long seconds = Math.max(1, (waitNanos + 999_999_999) / 1_000_000_000);
        return error(
                ErrorCode.RATE_LIMIT_EXCEEDED,
                "Too many frames; slow down",
                Map.of("limit", "frames", "retry_after", seconds),
                clientMessageId(payload));
    }

    /**
     * The answer to a frame that arrived while the node shuts down, not handled: SERVICE_UNAVAILABLE with
     * {@code retry_after} 1 and the frame's {@code client_message_id}. The socket closes with 1001 next; the client
     * sends the frame again once it has reconnected (to another node).
     */
    TextMessage goingAway(String payload) {
        return error(
                ErrorCode.SERVICE_UNAVAILABLE,
                "This server is shutting down; reconnect and send again",
                Map.of("retry_after", 1),
                clientMessageId(payload));
    }

    /** The frame's {@code client_message_id}, or null when it has none or cannot be read. */
    private String clientMessageId(String payload) {
        try {
            JsonNode id = json.readTree(payload).path("data").path("client_message_id");
            return id.isString() ? id.asString() : null;
        } catch (JacksonException e) {
            return null;
        }
    }

    private TextMessage error(ErrorCode code, String message, Map<String, Object> details, String clientMessageId) {
        return frames.encode(Frames.ERROR, new ErrorData(code.name(), message, details, clientMessageId));
    }

    /** {@code status}: absent keeps the device's state. */
    private static Boolean away(JsonNode data) {
        JsonNode status = data.path("status");
        if (status.isMissingNode() || status.isNull()) {
            return null;
        }
        return switch (status.isString() ? status.asString() : "") {
            case "online" -> false;
            case "away" -> true;
            default -> throw ParleyException.validation("status", "status must be online or away");
        };
    }

    static UUID uuid(JsonNode data, String field) {
        JsonNode value = data.path(field);
        if (!value.isString()) {
            throw ParleyException.validation(field, field + " is required");
        }
        try {
            return UUID.fromString(value.asString());
        } catch (IllegalArgumentException e) {
            throw ParleyException.validation(field, field + " must be a UUID");
        }
    }
}
