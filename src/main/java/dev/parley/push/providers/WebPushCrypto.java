package dev.parley.push.providers;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Message encryption for Web Push (RFC 8291) in the {@code aes128gcm} content coding (RFC 8188): an ephemeral
 * P-256 key agreed with the subscription's key, HKDF-SHA-256 mixed with its auth secret, one AES-128-GCM record.
 * The JDK's own primitives: the Java Web Push libraries on Maven Central are either unmaintained (web-push 5.1.x,
 * BouncyCastle and Apache's async client) or Kotlin with their own HTTP stack; these forty lines are the RFC's
 * section 3.4 step by step, and the tests decrypt what they produce with the subscriber's private key.
 */
public final class WebPushCrypto {

    /** RFC 8188 record size; one record holds any payload Parley sends (well under 4 KiB). */
    private static final int RECORD_SIZE = 4096;

    private static final SecureRandom RANDOM = new SecureRandom();

    private WebPushCrypto() {}

    /** The request body: header (salt, record size, sender's public key) and the encrypted record. */
    public static byte[] encrypt(byte[] plaintext, byte[] subscriberKey, byte[] authSecret) {
        try {
            ECPublicKey subscriber = EcKeys.publicKey(subscriberKey);
            KeyPair ephemeral = EcKeys.generate();
            byte[] senderKey = EcKeys.raw((ECPublicKey) ephemeral.getPublic());
            KeyAgreement agreement = KeyAgreement.getInstance("ECDH");
            agreement.init(ephemeral.getPrivate());
            agreement.doPhase(subscriber, true);
            byte[] salt = new byte[16];
            RANDOM.nextBytes(salt);
            byte[][] keyAndNonce = contentKeys(agreement.generateSecret(), authSecret, subscriberKey, senderKey, salt);
            byte[] padded = Arrays.copyOf(plaintext, plaintext.length + 1);
            padded[plaintext.length] = 2; // the last (and only) record's delimiter
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(
                    Cipher.ENCRYPT_MODE,
                    new SecretKeySpec(keyAndNonce[0], "AES"),
                    new GCMParameterSpec(128, keyAndNonce[1]));
            byte[] record = cipher.doFinal(padded);
            return ByteBuffer.allocate(16 + 4 + 1 + senderKey.length + record.length)
                    .put(salt)
                    .putInt(RECORD_SIZE)
                    .put((byte) senderKey.length)
                    .put(senderKey)
                    .put(record)
                    .array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Web Push encryption failed", e);
        }
    }

    /** The content encryption key and nonce (RFC 8291 section 3.4): {@code [cek (16 bytes), nonce (12 bytes)]}. */
    private static byte[][] contentKeys(
            byte[] ecdhSecret, byte[] authSecret, byte[] subscriberKey, byte[] senderKey, byte[] salt)
            throws GeneralSecurityException {
        byte[] info = concat("WebPush: info\0".getBytes(StandardCharsets.US_ASCII), subscriberKey, senderKey);
        byte[] ikm = expand(hmac(authSecret, ecdhSecret), info, 32);
        byte[] prk = hmac(salt, ikm);
        byte[] cek = expand(prk, "Content-Encoding: aes128gcm\0".getBytes(StandardCharsets.US_ASCII), 16);
        byte[] nonce = expand(prk, "Content-Encoding: nonce\0".getBytes(StandardCharsets.US_ASCII), 12);
        return new byte[][] {cek, nonce};
    }

    /** HKDF-Expand for one block (every length here is at most 32 bytes). */
    private static byte[] expand(byte[] prk, byte[] info, int length) throws GeneralSecurityException {
        return Arrays.copyOf(hmac(prk, concat(info, new byte[] {1})), length);
    }

    private static byte[] hmac(byte[] key, byte[] data) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data);
    }

    private static byte[] concat(byte[]... parts) {
        ByteBuffer out =
                ByteBuffer.allocate(Arrays.stream(parts).mapToInt(p -> p.length).sum());
        for (byte[] part : parts) {
            out.put(part);
        }
        return out.array();
    }
}
