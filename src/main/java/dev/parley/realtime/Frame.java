package dev.parley.realtime;

import org.springframework.web.socket.TextMessage;

/**
 * A server frame, encoded once however many devices receive it. {@code origin} names the connection whose
 * request caused it (or is null): that device already has its answer, so it does not get the event as well.
 */
record Frame(String type, TextMessage message, String origin) {
}
