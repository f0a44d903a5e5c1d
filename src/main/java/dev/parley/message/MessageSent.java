package dev.parley.message;

/** Published once a user's message is stored (its statement has committed). */
public record MessageSent(MessageView message) {
}
