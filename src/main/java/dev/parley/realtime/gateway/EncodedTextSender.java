package dev.parley.realtime.gateway;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.NativeWebSocketSession;

/**
 * Writes a text frame whose UTF-8 bytes are already encoded. A frame to many devices is encoded once
 * ({@link Frames}), but the standard API only takes a {@code String}, which Tomcat encodes again, character by
 * character, for every socket: in a fan-out to 100 members that was about 12% of the server's CPU. Tomcat's own
 * blocking send of an encoded payload is not public, so it is looked up once here; when it is not there (another
 * container, another Tomcat version, a test double) every frame simply takes the standard path.
 */
final class EncodedTextSender {

    private static final Logger log = LoggerFactory.getLogger(EncodedTextSender.class);
    private static final byte OPCODE_TEXT = 0x1;

    /** {@code WsSession.wsRemoteEndpoint}: the session's remote endpoint implementation. */
    private static final MethodHandle ENDPOINT;
    /** {@code WsRemoteEndpointImplBase.sendMessageBlock(byte opCode, ByteBuffer payload, boolean last)}. */
    private static final MethodHandle SEND;

    private static final Class<?> SESSION_CLASS;

    static {
        MethodHandle endpoint = null;
        MethodHandle send = null;
        Class<?> sessionClass = null;
        try {
            ClassLoader loader = EncodedTextSender.class.getClassLoader();
            sessionClass = Class.forName("org.apache.tomcat.websocket.WsSession", false, loader);
            Class<?> endpointClass =
                    Class.forName("org.apache.tomcat.websocket.WsRemoteEndpointImplBase", false, loader);
            endpoint = MethodHandles.privateLookupIn(sessionClass, MethodHandles.lookup())
                    .findGetter(sessionClass, "wsRemoteEndpoint", endpointClass)
                    .asType(MethodType.methodType(Object.class, Object.class));
            send = MethodHandles.privateLookupIn(endpointClass, MethodHandles.lookup())
                    .findVirtual(
                            endpointClass,
                            "sendMessageBlock",
                            MethodType.methodType(void.class, byte.class, ByteBuffer.class, boolean.class))
                    .asType(MethodType.methodType(
                            void.class, Object.class, byte.class, ByteBuffer.class, boolean.class));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            log.info("Encoded text frames unavailable ({}); frames are sent as strings", e.toString());
            endpoint = null;
            send = null;
        }
        ENDPOINT = endpoint;
        SEND = send;
        SESSION_CLASS = sessionClass;
    }

    private EncodedTextSender() {}

    /** Whether the container's encoded send was found (Tomcat, as this application embeds). */
    static boolean available() {
        return SEND != null;
    }

    /** The container's endpoint for the session, to pass to {@link #send}; null when there is no fast path. */
    static Object endpointOf(WebSocketSession session) {
        if (ENDPOINT == null || !(session instanceof NativeWebSocketSession nativeSession)) {
            return null;
        }
        try {
            Object tomcat = nativeSession.getNativeSession();
            return SESSION_CLASS.isInstance(tomcat) ? (Object) ENDPOINT.invokeExact(tomcat) : null;
        } catch (Throwable e) {
            return null;
        }
    }

    /**
     * Writes a whole text message, blocking as the standard send does (and with the same send timeout); falls
     * back to the standard send without an endpoint or for a partial message.
     */
    static void send(WebSocketSession session, Object endpoint, TextMessage message) throws IOException {
        if (endpoint == null || !message.isLast()) {
            session.sendMessage(message);
            return;
        }
        try {
            // A buffer of its own per socket: the container moves its position (and clears it when done).
            SEND.invokeExact(endpoint, OPCODE_TEXT, ByteBuffer.wrap(message.asBytes()), true);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IOException(e);
        }
    }
}
