package dev.parley.push;

import com.eatthepath.pushy.apns.auth.ApnsVerificationKey;
import com.eatthepath.pushy.apns.auth.AuthenticationToken;
import com.eatthepath.pushy.apns.server.MockApnsServer;
import com.eatthepath.pushy.apns.server.MockApnsServerBuilder;
import com.eatthepath.pushy.apns.server.RejectedNotificationException;
import com.eatthepath.pushy.apns.server.RejectionReason;
import com.eatthepath.pushy.apns.server.UnregisteredDeviceTokenException;
import dev.parley.push.providers.EcKeys;
import dev.parley.support.TestClient;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.FileInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import tools.jackson.databind.JsonNode;

/**
 * APNs over HTTP/2 and TLS: Pushy's MockApnsServer with a certificate made for the run (keytool), and a handler
 * that accepts a push only with a provider token signed by the team's .p8 key for the right topic, and answers
 * 410 Unregistered for tokens marked gone.
 */
final class ApnsStandIn implements AutoCloseable {

    static final String TEAM_ID = "TEAM123456";
    static final String KEY_ID = "KEY1234567";
    static final String TOPIC = "dev.parley.app";

    record Received(String token, String collapseId, String pushType, JsonNode payload, Instant at) {}

    private final MockApnsServer server;
    private final int port;
    private final Path signingKey;
    private final Path trustedCertificate;
    final Set<String> gone = ConcurrentHashMap.newKeySet();
    final List<Received> received = new CopyOnWriteArrayList<>();
    final List<String> refused = new CopyOnWriteArrayList<>();

    ApnsStandIn(Path folder) throws Exception {
        Files.createDirectories(folder);
        KeyPair team = EcKeys.generate();
        signingKey = folder.resolve("apns-key.p8");
        Files.writeString(
                signingKey,
                "-----BEGIN PRIVATE KEY-----\n"
                        + Base64.getMimeEncoder(64, "\n".getBytes())
                                .encodeToString(team.getPrivate().getEncoded())
                        + "\n-----END PRIVATE KEY-----\n");
        ApnsVerificationKey verification = new ApnsVerificationKey(KEY_ID, TEAM_ID, (ECPublicKey) team.getPublic());
        Path keystore = folder.resolve("apns-server.p12");
        trustedCertificate = folder.resolve("apns-server.pem");
        Files.deleteIfExists(keystore);
        keytool(
                "-genkeypair",
                "-alias",
                "apns",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=localhost",
                "-ext",
                "san=dns:localhost,ip:127.0.0.1",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                keystore.toString(),
                "-storepass",
                "changeit");
        keytool(
                "-exportcert",
                "-rfc",
                "-alias",
                "apns",
                "-keystore",
                keystore.toString(),
                "-storepass",
                "changeit",
                "-file",
                trustedCertificate.toString());
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(keystore.toFile())) {
            store.load(in, "changeit".toCharArray());
        }
        X509Certificate certificate = (X509Certificate) store.getCertificate("apns");
        PrivateKey key = (PrivateKey) store.getKey("apns", "changeit".toCharArray());
        server = new MockApnsServerBuilder()
                .setServerCredentials(new X509Certificate[] {certificate}, key, null)
                .setHandlerFactory(session ->
                        (headers, payload) -> handle(headers, payload.toString(StandardCharsets.UTF_8), verification))
                .build();
        // Pushy's start answers with the port it bound.
        port = ((Number) server.start(0).get()).intValue();
    }

    private void handle(Http2Headers headers, String payload, ApnsVerificationKey verification)
            throws RejectedNotificationException {
        String authorization = String.valueOf(headers.get("authorization"));
        AuthenticationToken token = new AuthenticationToken(authorization.replaceFirst("(?i)^bearer ", ""));
        if (!token.verifySignature(verification) || !TEAM_ID.equals(token.getTeamId())) {
            refused.add(authorization);
            throw new RejectedNotificationException(RejectionReason.INVALID_PROVIDER_TOKEN);
        }
        if (!TOPIC.equals(String.valueOf(headers.get("apns-topic")))) {
            throw new RejectedNotificationException(RejectionReason.BAD_TOPIC);
        }
        String path = String.valueOf(headers.path());
        String device = path.substring(path.lastIndexOf('/') + 1);
        if (gone.contains(device)) {
            throw new UnregisteredDeviceTokenException(Instant.now());
        }
        CharSequence collapse = headers.get("apns-collapse-id");
        CharSequence type = headers.get("apns-push-type");
        received.add(new Received(
                device,
                collapse == null ? null : collapse.toString(),
                type == null ? null : type.toString(),
                TestClient.JSON.readTree(payload),
                Instant.now()));
    }

    List<Received> to(String token) {
        return received.stream().filter(r -> r.token().equals(token)).toList();
    }

    int port() {
        return port;
    }

    Path signingKey() {
        return signingKey;
    }

    Path trustedCertificate() {
        return trustedCertificate;
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("keytool failed: " + output);
        }
    }

    @Override
    public void close() {
        server.shutdown().join();
    }
}
