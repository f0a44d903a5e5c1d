package dev.parley.push;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.parley.support.TestClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;

/**
 * FCM HTTP v1 as the tests see it: an OAuth2 token endpoint that accepts only a JWT assertion signed with the
 * service account's key (RFC 7523, as Google's endpoint does), and {@code messages:send} that accepts only the
 * access tokens it issued. Answers can be scripted per device token (404 UNREGISTERED, 429, 503 with
 * Retry-After).
 */
public final class FcmStandIn implements AutoCloseable {

    static final String PROJECT = "parley-test";
    static final String CLIENT_EMAIL = "push@parley-test.iam.gserviceaccount.com";

    /** One send request as received, and what it was answered. */
    record Request(String token, JsonNode message, int status, Instant at) {}

    private final HttpServer server;
    private final RSAPublicKey accountKey;
    private final Path credentials;
    private final Set<String> issued = ConcurrentHashMap.newKeySet();
    private final Map<String, Deque<Integer>> scripted = new ConcurrentHashMap<>();
    final List<Request> requests = new CopyOnWriteArrayList<>();
    private final AtomicLong accepted = new AtomicLong();
    final List<String> assertionsRejected = new CopyOnWriteArrayList<>();

    public FcmStandIn(Path folder) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair account = generator.generateKeyPair();
        this.accountKey = (RSAPublicKey) account.getPublic();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/token", this::token);
        server.createContext("/v1/projects/" + PROJECT + "/messages:send", this::send);
        server.start();
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes())
                        .encodeToString(account.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        Map<String, String> json = new HashMap<>();
        json.put("type", "service_account");
        json.put("project_id", PROJECT);
        json.put("private_key_id", "key-1");
        json.put("private_key", pem);
        json.put("client_email", CLIENT_EMAIL);
        json.put("client_id", "1234567890");
        json.put("token_uri", tokenUri());
        Files.createDirectories(folder);
        credentials = folder.resolve("fcm-service-account.json");
        Files.writeString(credentials, TestClient.JSON.writeValueAsString(json));
    }

    public String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public String tokenUri() {
        return base() + "/token";
    }

    public Path credentials() {
        return credentials;
    }

    /** The server arguments that point a node's FCM provider at this stand-in. */
    public List<String> serverArguments() {
        return List.of(
                "--parley.push.fcm.credentials-file=" + credentials,
                "--parley.push.fcm.endpoint=" + base(),
                "--parley.push.fcm.token-uri=" + tokenUri());
    }

    /** Whether each request is kept for inspection (tests) or only counted (benchmarks). */
    volatile boolean recording = true;

    /** Pushes answered 200 so far. */
    public long accepted() {
        return accepted.get();
    }

    public void stopRecording() {
        recording = false;
    }

    /** The next answers for this device token, before it is accepted again. */
    void answer(String token, Integer... statuses) {
        scripted.put(token, new ArrayDeque<>(List.of(statuses)));
    }

    List<Request> to(String token) {
        return requests.stream().filter(r -> r.token().equals(token)).toList();
    }

    private void token(HttpExchange exchange) throws IOException {
        String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> fields = new HashMap<>();
        for (String pair : form.split("&")) {
            String[] kv = pair.split("=", 2);
            fields.put(
                    URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                    kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        String problem;
        try {
            SignedJWT assertion = SignedJWT.parse(fields.get("assertion"));
            var claims = assertion.getJWTClaimsSet();
            problem = !"urn:ietf:params:oauth:grant-type:jwt-bearer".equals(fields.get("grant_type"))
                    ? "grant_type"
                    : !assertion.verify(new RSASSAVerifier(accountKey))
                            ? "signature"
                            : !CLIENT_EMAIL.equals(claims.getIssuer())
                                    ? "iss " + claims.getIssuer()
                                    // Google's endpoint wants its own address as the audience, wherever the request
                                    // goes.
                                    : !(claims.getAudience().contains(tokenUri())
                                                    || claims.getAudience()
                                                            .contains("https://oauth2.googleapis.com/token"))
                                            ? "aud " + claims.getAudience()
                                            : !String.valueOf(claims.getClaim("scope"))
                                                            .contains("firebase.messaging")
                                                    ? "scope"
                                                    : !claims.getExpirationTime()
                                                                    .toInstant()
                                                                    .isAfter(Instant.now())
                                                            ? "expired"
                                                            : null;
        } catch (Exception e) {
            problem = e.toString();
        }
        boolean valid = problem == null;
        if (!valid) {
            assertionsRejected.add(problem);
            respond(exchange, 400, "{\"error\":\"invalid_grant\"}", Map.of());
            return;
        }
        String token = "ya29." + UUID.randomUUID();
        issued.add(token);
        respond(
                exchange,
                200,
                "{\"access_token\":\"" + token + "\",\"expires_in\":3600,\"token_type\":\"Bearer\"}",
                Map.of());
    }

    private void send(HttpExchange exchange) throws IOException {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization == null || !issued.contains(authorization.replaceFirst("^Bearer ", ""))) {
            respond(exchange, 401, "{\"error\":{\"status\":\"UNAUTHENTICATED\"}}", Map.of());
            return;
        }
        byte[] body = exchange.getRequestBody().readAllBytes();
        int status = 200;
        // A benchmark neither records nor scripts: the body is not parsed, as Google's servers cost it nothing.
        if (recording || !scripted.isEmpty()) {
            JsonNode message = TestClient.JSON.readTree(body).path("message");
            String token = message.path("token").asString();
            Deque<Integer> queue = scripted.get(token);
            Integer next = queue == null ? null : queue.poll();
            status = next == null ? 200 : next;
            if (recording) {
                requests.add(new Request(token, message, status, Instant.now()));
            }
        }
        if (status == 200) {
            accepted.incrementAndGet();
        }
        switch (status) {
            case 200 ->
                respond(
                        exchange,
                        200,
                        "{\"name\":\"projects/" + PROJECT + "/messages/" + accepted.get() + "\"}",
                        Map.of());
            case 404 ->
                respond(
                        exchange,
                        404,
                        "{\"error\":{\"code\":404,\"status\":\"NOT_FOUND\",\"details\":[{"
                                + "\"@type\":\"type.googleapis.com/google.firebase.fcm.v1.FcmError\","
                                + "\"errorCode\":\"UNREGISTERED\"}]}}",
                        Map.of());
            default -> respond(exchange, status, "{\"error\":{\"code\":" + status + "}}", Map.of("Retry-After", "1"));
        }
    }

    static void respond(HttpExchange exchange, int status, String body, Map<String, String> headers)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
