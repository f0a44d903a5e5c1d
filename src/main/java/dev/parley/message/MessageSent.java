package dev.parley.message;

/**
 * Published once a message is stored: a user's send after its statement has committed; a system message inside
 * the transaction of the change it describes, so an after-commit listener only sees it if that change commits.
 */
public record MessageSent(MessageView message) {
}
