package dev.parley.message;

import java.util.UUID;

/**
 * The data of {@code message.new} and {@code message.updated} wherever they go: socket frames, sync and webhooks
 * (the contract's "same type and data"): the conversation, and the whole message under {@code message}.
 */
public record MessageEventData(UUID conversationId, MessageView message) {}
