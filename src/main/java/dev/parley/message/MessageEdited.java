package dev.parley.message;

/**
 * Published after a message's text changed (an image finishing its processing is {@link MessageImageUpdated}).
 * The message carries no reactions: whether the viewer reacted differs per recipient, and reactions change through
 * their own events.
 */
public record MessageEdited(MessageView message) {}
