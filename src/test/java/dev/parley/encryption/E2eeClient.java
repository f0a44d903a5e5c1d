package dev.parley.encryption;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import tools.jackson.databind.JsonNode;

/**
 * A test client's end-to-end encryption, with the JDK only: an Ed25519 identity key, an X25519 signed prekey and
 * one-time prekeys published to the directory; a sender agrees a key with X25519 (an ephemeral key against the
 * recipient's signed prekey and one-time prekey, as X3DH's last two steps), hashes the two secrets into an AES-256
 * key and encrypts with AES-GCM. Not a protocol anyone should ship: it proves the server carries what the JDK's
 * primitives produce, byte for byte.
 */
final class E2eeClient {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] X25519_SPKI = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x03, 0x21, 0x00};

    private final KeyPair identity;
    private final KeyPair signedPrekey;
    private final Map<Integer, KeyPair> oneTime = new HashMap<>();
    private int nextKeyId = 1;

    E2eeClient() throws GeneralSecurityException {
        identity = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        signedPrekey = KeyPairGenerator.getInstance("X25519").generateKeyPair();
    }

    /** The body of {@code PUT /users/me/keys} with {@code prekeys} new one-time prekeys. */
    Map<String, Object> upload(int prekeys) throws GeneralSecurityException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("identity_key", b64(raw(identity.getPublic())));
        body.put(
                "signed_prekey",
                Map.of(
                        "key_id",
                        7,
                        "public_key",
                        b64(raw(signedPrekey.getPublic())),
                        "signature",
                        b64(sign(raw(signedPrekey.getPublic())))));
        body.put("one_time_prekeys", morePrekeys(prekeys));
        return body;
    }

    List<Map<String, Object>> morePrekeys(int count) throws GeneralSecurityException {
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            KeyPair pair = KeyPairGenerator.getInstance("X25519").generateKeyPair();
            int id = nextKeyId++;
            oneTime.put(id, pair);
            out.add(Map.of("key_id", id, "public_key", b64(raw(pair.getPublic()))));
        }
        return out;
    }

    byte[] sign(byte[] message) throws GeneralSecurityException {
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(identity.getPrivate());
        signer.update(message);
        return signer.sign();
    }

    /** What a sender puts in a message: content (base64 ciphertext) and its {@code metadata.e2ee} headers. */
    record Sealed(String content, Map<String, Object> headers) {}

    /** Encrypts {@code text} for the owner of {@code bundle}, after checking its signed prekey's signature. */
    static Sealed seal(JsonNode bundle, String text) throws GeneralSecurityException {
        byte[] identityKey = unb64(bundle.path("identity_key").asString());
        JsonNode spk = bundle.path("signed_prekey");
        byte[] spkRaw = unb64(spk.path("public_key").asString());
        if (!KeyDirectory.verifies(
                identityKey, spkRaw, unb64(spk.path("signature").asString()))) {
            throw new GeneralSecurityException("signed prekey not signed by the identity key");
        }
        JsonNode otk = bundle.path("one_time_prekey");
        KeyPair ephemeral = KeyPairGenerator.getInstance("X25519").generateKeyPair();
        byte[] secret = concat(
                agree(ephemeral.getPrivate(), spkRaw),
                agree(ephemeral.getPrivate(), unb64(otk.path("public_key").asString())));
        byte[] iv = new byte[12];
        RANDOM.nextBytes(iv);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, aesKey(secret), new GCMParameterSpec(128, iv));
        byte[] sealed = cipher.doFinal(text.getBytes(StandardCharsets.UTF_8));
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put("ephemeral_key", b64(raw(ephemeral.getPublic())));
        headers.put("signed_prekey_id", spk.path("key_id").asInt());
        headers.put("one_time_prekey_id", otk.path("key_id").asInt());
        headers.put("iv", b64(iv));
        return new Sealed(b64(sealed), headers);
    }

    /** Decrypts a message that arrived for this client. */
    String open(String content, JsonNode headers) throws GeneralSecurityException {
        byte[] ephemeral = unb64(headers.path("ephemeral_key").asString());
        KeyPair otk = oneTime.get(headers.path("one_time_prekey_id").asInt());
        byte[] secret = concat(agree(signedPrekey.getPrivate(), ephemeral), agree(otk.getPrivate(), ephemeral));
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(
                Cipher.DECRYPT_MODE,
                aesKey(secret),
                new GCMParameterSpec(128, unb64(headers.path("iv").asString())));
        return new String(cipher.doFinal(unb64(content)), StandardCharsets.UTF_8);
    }

    private static byte[] agree(PrivateKey mine, byte[] theirRaw) throws GeneralSecurityException {
        PublicKey theirs =
                KeyFactory.getInstance("X25519").generatePublic(new X509EncodedKeySpec(concat(X25519_SPKI, theirRaw)));
        KeyAgreement agreement = KeyAgreement.getInstance("X25519");
        agreement.init(mine);
        agreement.doPhase(theirs, true);
        return agreement.generateSecret();
    }

    private static SecretKeySpec aesKey(byte[] secret) throws GeneralSecurityException {
        return new SecretKeySpec(MessageDigest.getInstance("SHA-256").digest(secret), "AES");
    }

    /** The raw 32 bytes of an Ed25519 or X25519 public key: the end of its X.509 encoding. */
    static byte[] raw(PublicKey key) {
        byte[] encoded = key.getEncoded();
        return Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);
    }

    static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    static byte[] unb64(String text) {
        return Base64.getDecoder().decode(text);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
