package dev.parley.message;

/**
 * Published when an image message's attachment finished processing after the send (thumbnail, size and URLs now
 * there) or was refused. Not an edit: the text did not change and the message is not marked edited. On the wire
 * it is the same {@code message.updated} frame as an edit, and the catch-up log records it the same way. The
 * message carries no reactions, as with {@link MessageEdited}.
 */
public record MessageImageUpdated(MessageView message) {}
