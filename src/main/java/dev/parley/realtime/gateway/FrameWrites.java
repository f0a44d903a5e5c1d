package dev.parley.realtime.gateway;

import dev.parley.common.FieldNames;
import dev.parley.common.ParleyException;
import dev.parley.common.ReadSource;
import dev.parley.message.MessageSender;
import dev.parley.message.MessageView;
import dev.parley.message.SendMessageRequest;
import dev.parley.receipt.ReceiptService;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.util.UUID;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.TextMessage;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The client frames that write ({@code message.send}, {@code message.read}), each marked as a write of its
 * sender's ({@link ReadSource#writing}) so that their next reads see it, even where a replica serves reads.
 */
@Component
class FrameWrites {

    record Ack(String clientMessageId, MessageView message) {}

    private final JsonMapper json;
    private final Validator validator;
    private final Frames frames;
    private final MessageSender messages;
    private final ReceiptService receipts;
    private final ReadSource reads;

    FrameWrites(
            JsonMapper json,
            Validator validator,
            Frames frames,
            MessageSender messages,
            ReceiptService receipts,
            ReadSource reads) {
        this.json = json;
        this.validator = validator;
        this.frames = frames;
        this.messages = messages;
        this.receipts = receipts;
        this.reads = reads;
    }

    /**
     * {@code message.send}: the same send as REST, answered with {@code message.ack}. Throws what
     * {@link MessageSender#send} throws, and VALIDATION_FAILED for a malformed frame.
     */
    TextMessage send(UUID caller, String device, UUID conversationId, JsonNode data) {
        SendMessageRequest request;
        try {
            request = json.treeToValue(data, SendMessageRequest.class);
        } catch (JacksonException e) {
            String field = FieldNames.of(e.getPath());
            throw ParleyException.validation(field, field + " has the wrong type or format");
        }
        for (ConstraintViolation<SendMessageRequest> violation : validator.validate(request)) {
            String field = FieldNames.snake(violation.getPropertyPath().toString());
            throw ParleyException.validation(field, field + " " + violation.getMessage());
        }
        if (request.clientMessageId() == null) {
            // The ack is matched to its send by this id, and a retry after a lost ack needs it to stay idempotent.
            throw ParleyException.validation("client_message_id", "client_message_id is required over WebSocket");
        }
        MessageView message;
        try (ReadSource.WriteMark written = reads.writing(caller)) {
            message = messages.send(caller, conversationId, request, device).message();
        }
        return frames.encode(Frames.MESSAGE_ACK, new Ack(request.clientMessageId(), message));
    }

    /** {@code message.read}: throws what {@link ReceiptService#markRead} throws. */
    void read(UUID caller, String device, UUID messageId, UUID session) {
        try (ReadSource.WriteMark written = reads.writing(caller)) {
            receipts.markRead(caller, messageId, device, session);
        }
    }
}
