package dev.parley.encryption;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Bodies and answers of the key directory ({@code /users/me/keys}, {@code /users/{id}/keys}). */
public final class KeyRequests {

    /** At most this many one-time prekeys per upload (the contract's limit). */
    public static final int MAX_PREKEYS_PER_UPLOAD = 100;

    private KeyRequests() {}

    /**
     * {@code PUT /users/me/keys}. The identity key and signed prekey are required on the first upload; later ones
     * may carry only one-time prekeys (a refill). A new identity key discards the stored one-time prekeys.
     */
    public record Upload(
            @Size(max = 64) @Nullable String identityKey,
            @Valid @Nullable SignedPrekey signedPrekey,
            @Size(max = MAX_PREKEYS_PER_UPLOAD) @Nullable List<@NotNull @Valid Prekey> oneTimePrekeys) {}

    /** Base64 of the raw 32-byte X25519 key and the identity key's 64-byte Ed25519 signature over those bytes. */
    public record SignedPrekey(
            @NotNull @Min(0) @Max(Integer.MAX_VALUE) Integer keyId,
            @NotNull @Size(max = 64) String publicKey,
            @NotNull @Size(max = 128) String signature) {}

    public record Prekey(
            @NotNull @Min(0) @Max(Integer.MAX_VALUE) Integer keyId,
            @NotNull @Size(max = 64) String publicKey) {}

    /** {@code GET /users/{id}/keys}: a one-time prekey when any is left (each is handed out once). */
    public record Bundle(
            String identityKey,
            SignedPrekey signedPrekey,
            @Nullable Prekey oneTimePrekey) {}

    /** {@code GET /users/me/keys/count} and the answer to an upload. */
    public record Count(long oneTimePrekeys) {}
}
