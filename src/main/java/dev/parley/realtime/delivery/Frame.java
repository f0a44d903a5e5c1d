package dev.parley.realtime.delivery;

import org.springframework.web.socket.TextMessage;

/**
 * A server frame, encoded once however many devices receive it. {@code origin} is the device id of the socket
 * whose frame caused the event (null when none did), taken from the event itself: that device already has its
 * answer, so it does not get the event as well, whichever thread delivers it.
 */
record Frame(String type, TextMessage message, String origin) {}
