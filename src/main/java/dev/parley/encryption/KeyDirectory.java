package dev.parley.encryption;

import dev.parley.audit.AuditAction;
import dev.parley.audit.AuditEntry;
import dev.parley.audit.AuditLog;
import dev.parley.audit.AuditTargetType;
import dev.parley.common.ParleyException;
import dev.parley.user.UserService;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The key directory, as Signal's key server: each user publishes an Ed25519 identity key, an X25519 signed prekey
 * (signed by the identity key; the signature is checked here, with the JDK) and a stock of X25519 one-time prekeys;
 * whoever starts an encrypted session with them fetches a bundle, which takes one one-time prekey out for good.
 * Keys are public keys only; the server never sees a private key.
 */
@Service
public class KeyDirectory {

    static final int KEY_BYTES = 32;
    static final int SIGNATURE_BYTES = 64;
    /** How many one-time prekeys a user may keep in the directory, so one account cannot fill the table. */
    static final int MAX_STORED_PREKEYS = 1000;
    /** DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410), followed by the 32 raw bytes. */
    private static final byte[] ED25519_SPKI = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

    private final KeyRepository keys;
    private final UserService users;
    private final AuditLog audit;
    private final Clock clock;

    KeyDirectory(KeyRepository keys, UserService users, AuditLog audit, Clock clock) {
        this.keys = keys;
        this.users = users;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * Stores the caller's keys. Throws VALIDATION_FAILED: a key that is not base64 of 32 bytes, a signature that is
     * not the identity key's over the signed prekey, no identity key or signed prekey on the first upload, more than
     * 100 one-time prekeys, a key id twice, or more than 1,000 one-time prekeys kept.
     */
    @Transactional
    public KeyRequests.Count upload(UUID caller, KeyRequests.Upload request) {
        KeyRepository.Identity stored = keys.lockIdentity(caller).orElse(null);
        byte[] identityKey =
                request.identityKey() == null ? null : decode("identity_key", request.identityKey(), KEY_BYTES);
        if (stored == null && (identityKey == null || request.signedPrekey() == null)) {
            throw ParleyException.validation(
                    identityKey == null ? "identity_key" : "signed_prekey",
                    "The first upload needs identity_key and signed_prekey");
        }
        boolean newIdentity =
                identityKey != null && (stored == null || !Arrays.equals(identityKey, stored.identityKey()));
        if (newIdentity && request.signedPrekey() == null) {
            throw ParleyException.validation("signed_prekey", "A new identity key needs a signed prekey it signed");
        }
        byte[] identity = identityKey != null ? identityKey : stored.identityKey();
        if (request.signedPrekey() != null) {
            KeyRequests.SignedPrekey spk = request.signedPrekey();
            byte[] publicKey = decode("signed_prekey.public_key", spk.publicKey(), KEY_BYTES);
            byte[] signature = decode("signed_prekey.signature", spk.signature(), SIGNATURE_BYTES);
            if (!verifies(identity, publicKey, signature)) {
                throw ParleyException.validation(
                        "signed_prekey.signature",
                        "signature is not the identity key's Ed25519 signature over the signed prekey");
            }
            keys.saveIdentity(
                    caller, new KeyRepository.Identity(identity, spk.keyId(), publicKey, signature), clock.instant());
        }
        if (newIdentity && stored != null) {
            // One-time prekeys of a former installation cannot be used with the new identity.
            keys.deleteOneTime(caller);
        }
        List<KeyRequests.Prekey> prekeys = request.oneTimePrekeys() == null ? List.of() : request.oneTimePrekeys();
        Set<Integer> ids = new HashSet<>();
        List<KeyRepository.OneTime> fresh = prekeys.stream()
                .map(prekey -> {
                    if (!ids.add(prekey.keyId())) {
                        throw ParleyException.validation(
                                "one_time_prekeys", "key_id " + prekey.keyId() + " appears twice");
                    }
                    return new KeyRepository.OneTime(
                            prekey.keyId(), decode("one_time_prekeys.public_key", prekey.publicKey(), KEY_BYTES));
                })
                .toList();
        keys.addOneTime(caller, fresh, clock.instant());
        long count = keys.countOneTime(caller);
        if (count > MAX_STORED_PREKEYS) {
            throw ParleyException.validation(
                    "one_time_prekeys",
                    "At most " + MAX_STORED_PREKEYS + " one-time prekeys are kept; " + count + " would be");
        }
        audit.record(AuditEntry.by(caller, AuditAction.KEYS_UPLOADED)
                .target(AuditTargetType.USER, caller)
                .detail("identity_key_changed", newIdentity && stored != null)
                .detail("signed_prekey", request.signedPrekey() != null)
                .detail("one_time_prekeys", fresh.size()));
        return new KeyRequests.Count(count);
    }

    /**
     * A user's key bundle, with one one-time prekey that nobody else will get (none when the stock is empty).
     * Throws USER_NOT_FOUND: no such user, no keys published, or a block either way between the two.
     */
    @Transactional
    public KeyRequests.Bundle bundle(UUID caller, UUID userId) {
        if (!caller.equals(userId) && users.eitherBlocks(caller, userId)) {
            throw ParleyException.userNotFound();
        }
        KeyRepository.Identity identity = keys.identity(userId).orElseThrow(ParleyException::userNotFound);
        Base64.Encoder b64 = Base64.getEncoder();
        KeyRequests.Prekey oneTime = keys.claimOneTime(userId)
                .map(k -> new KeyRequests.Prekey(k.keyId(), b64.encodeToString(k.publicKey())))
                .orElse(null);
        return new KeyRequests.Bundle(
                b64.encodeToString(identity.identityKey()),
                new KeyRequests.SignedPrekey(
                        identity.signedPrekeyId(),
                        b64.encodeToString(identity.signedPrekey()),
                        b64.encodeToString(identity.signature())),
                oneTime);
    }

    public KeyRequests.Count count(UUID caller) {
        return new KeyRequests.Count(keys.countOneTime(caller));
    }

    /** Whether {@code signature} is the Ed25519 signature of {@code identityKey} over {@code message}. */
    static boolean verifies(byte[] identityKey, byte[] message, byte[] signature) {
        try {
            byte[] spki = Arrays.copyOf(ED25519_SPKI, ED25519_SPKI.length + KEY_BYTES);
            System.arraycopy(identityKey, 0, spki, ED25519_SPKI.length, KEY_BYTES);
            PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key);
            verifier.update(message);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            // Not a point on the curve, or a malformed signature: it does not verify.
            return false;
        }
    }

    private static byte[] decode(String field, String base64, int length) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw ParleyException.validation(field, field + " must be standard base64");
        }
        if (bytes.length != length) {
            throw ParleyException.validation(field, field + " must be " + length + " bytes, not " + bytes.length);
        }
        return bytes;
    }
}
