package dev.parley.push;

import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.parley.push.providers.EcKeys;
import dev.parley.support.TestClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import tools.jackson.databind.JsonNode;

/**
 * A push service as a browser's would be: each subscription has its own P-256 key pair and auth secret, and what
 * arrives is decrypted with the subscription's private key (RFC 8291, written here from the RFC, independently
 * of Parley's encryption), after checking the VAPID signature (RFC 8292) against the key Parley serves.
 */
final class WebPushStandIn implements AutoCloseable {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    /** A browser's subscription: what it registers with Parley, and its private half. */
    record Subscriber(String id, String endpoint, KeyPair keys, byte[] auth) {

        Map<String, Object> subscription() {
            return Map.of(
                    "endpoint",
                    endpoint,
                    "keys",
                    Map.of(
                            "p256dh",
                            B64.encodeToString(EcKeys.raw((ECPublicKey) keys.getPublic())),
                            "auth",
                            B64.encodeToString(auth)));
        }
    }

    /** One push received: the decrypted payload and headers of note (null payload when it failed to decrypt). */
    record Received(
            String subscriber,
            JsonNode payload,
            String topic,
            String vapidKey,
            boolean vapidValid,
            int status,
            Instant at) {}

    private final HttpServer server;
    private final Map<String, Subscriber> subscribers = new ConcurrentHashMap<>();
    private final Map<String, Deque<Integer>> scripted = new ConcurrentHashMap<>();
    final List<Received> received = new CopyOnWriteArrayList<>();

    WebPushStandIn() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/push/", this::push);
        server.start();
    }

    Subscriber subscribe() {
        String id = UUID.randomUUID().toString();
        byte[] auth = new byte[16];
        new SecureRandom().nextBytes(auth);
        Subscriber subscriber = new Subscriber(
                id, "http://127.0.0.1:" + server.getAddress().getPort() + "/push/" + id, EcKeys.generate(), auth);
        subscribers.put(id, subscriber);
        return subscriber;
    }

    void answer(Subscriber subscriber, Integer... statuses) {
        scripted.put(subscriber.id(), new ArrayDeque<>(List.of(statuses)));
    }

    List<Received> to(Subscriber subscriber) {
        return received.stream()
                .filter(r -> r.subscriber().equals(subscriber.id()))
                .toList();
    }

    private void push(HttpExchange exchange) throws IOException {
        String id = exchange.getRequestURI().getPath().substring("/push/".length());
        Subscriber subscriber = subscribers.get(id);
        byte[] body = exchange.getRequestBody().readAllBytes();
        Deque<Integer> queue = scripted.get(id);
        Integer next = queue == null ? null : queue.poll();
        int status = subscriber == null ? 404 : next == null ? 201 : next;
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        String vapidKey = null;
        boolean vapidValid = false;
        JsonNode payload = null;
        try {
            // vapid t=<jwt>, k=<key>
            String token = authorization.replaceAll(".*t=([^,\\s]+).*", "$1");
            vapidKey = authorization.replaceAll(".*k=([^,\\s]+).*", "$1");
            SignedJWT jwt = SignedJWT.parse(token);
            String origin = "http://127.0.0.1:" + server.getAddress().getPort();
            vapidValid = jwt.verify(new ECDSAVerifier(
                            EcKeys.publicKey(Base64.getUrlDecoder().decode(vapidKey))))
                    && jwt.getJWTClaimsSet().getAudience().contains(origin)
                    && jwt.getJWTClaimsSet().getExpirationTime().toInstant().isAfter(Instant.now());
            if (subscriber != null
                    && "aes128gcm".equals(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                payload = TestClient.JSON.readTree(decrypt(subscriber, body));
            }
        } catch (Exception e) {
            payload = null;
        }
        received.add(new Received(
                id,
                payload,
                exchange.getRequestHeaders().getFirst("Topic"),
                vapidKey,
                vapidValid,
                status,
                Instant.now()));
        exchange.getResponseHeaders().set("Retry-After", "1");
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    /** RFC 8291 section 3.4 and RFC 8188 section 2, the receiving side. */
    static byte[] decrypt(Subscriber subscriber, byte[] body) throws Exception {
        ByteBuffer in = ByteBuffer.wrap(body);
        byte[] salt = new byte[16];
        in.get(salt);
        in.getInt(); // record size: one record here
        byte[] senderKey = new byte[in.get() & 0xff];
        in.get(senderKey);
        byte[] record = new byte[in.remaining()];
        in.get(record);
        KeyAgreement ecdh = KeyAgreement.getInstance("ECDH");
        ecdh.init(subscriber.keys().getPrivate());
        ecdh.doPhase(EcKeys.publicKey(senderKey), true);
        byte[] receiverKey = EcKeys.raw((ECPublicKey) subscriber.keys().getPublic());
        byte[] prkKey = hmacSha256(subscriber.auth(), ecdh.generateSecret());
        ByteBuffer keyInfo = ByteBuffer.allocate(14 + receiverKey.length + senderKey.length + 1);
        keyInfo.put("WebPush: info".getBytes(StandardCharsets.US_ASCII))
                .put((byte) 0)
                .put(receiverKey)
                .put(senderKey)
                .put((byte) 1);
        byte[] ikm = hmacSha256(prkKey, keyInfo.array());
        byte[] prk = hmacSha256(salt, ikm);
        byte[] cek = Arrays.copyOf(hmacSha256(prk, info("aes128gcm")), 16);
        byte[] nonce = Arrays.copyOf(hmacSha256(prk, info("nonce")), 12);
        Cipher aes = Cipher.getInstance("AES/GCM/NoPadding");
        aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(cek, "AES"), new GCMParameterSpec(128, nonce));
        byte[] padded = aes.doFinal(record);
        int end = padded.length - 1;
        while (end >= 0 && padded[end] == 0) {
            end--;
        }
        if (end < 0 || padded[end] != 2) {
            throw new IllegalStateException("the last record must end with delimiter 2");
        }
        return Arrays.copyOf(padded, end);
    }

    private static byte[] info(String coding) {
        byte[] label = ("Content-Encoding: " + coding).getBytes(StandardCharsets.US_ASCII);
        byte[] out = Arrays.copyOf(label, label.length + 2);
        out[label.length + 1] = 1;
        return out;
    }

    private static byte[] hmacSha256(byte[] key, byte[] data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
