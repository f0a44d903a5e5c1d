package dev.parley.message;

/**
 * Published once a message is stored: a user's send after its statement has committed; a system message inside
 * the transaction of the change it describes, so an after-commit listener only sees it if that change commits.
 *
 * @param origin the device that sent it over its socket (the gateway's device id), which has its answer and gets
 *               no echo of it; null for a send over REST and for system messages
 */
public record MessageSent(MessageView message, String origin) {}
