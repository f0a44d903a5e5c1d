package dev.parley.encryption;

import dev.parley.common.ErrorCode;
import dev.parley.common.ParleyException;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.stereotype.Component;

/**
 * Whether a conversation is end-to-end encrypted, and the rules for its content. Features that look at a message's
 * content (search, previews, push and webhook bodies, content rules) ask {@link #isEncrypted} first and leave an
 * encrypted conversation's content alone.
 *
 * <p>The flag is set when the conversation is created and never changes, so answers are cached (bounded); a
 * conversation that does not exist is not cached.
 */
@Component
public class ConversationEncryption {

    /** {@code parley.e2ee.*}: the largest ciphertext (base64 characters) a message may carry. */
    @ConfigurationProperties("parley.e2ee")
    public record E2eeProperties(@DefaultValue("65536") int maxCiphertextLength) {

        public E2eeProperties {
            if (maxCiphertextLength < 16) {
                throw new IllegalArgumentException("parley.e2ee.max-ciphertext-length must be at least 16");
            }
        }
    }

    static final int CACHE_LIMIT = 100_000;

    private final EncryptionRepository repository;
    private final int maxCiphertextLength;
    private final Map<UUID, Boolean> cache = new ConcurrentHashMap<>();

    ConversationEncryption(EncryptionRepository repository, E2eeProperties properties) {
        this.repository = repository;
        this.maxCiphertextLength = properties.maxCiphertextLength();
    }

    /** True when the conversation is end-to-end encrypted; false for others and for unknown ids. */
    public boolean isEncrypted(UUID conversationId) {
        Boolean known = cache.get(conversationId);
        if (known != null) {
            return known;
        }
        return repository
                .encrypted(conversationId)
                .map(flag -> {
                    if (cache.size() >= CACHE_LIMIT) {
                        cache.clear();
                    }
                    cache.put(conversationId, flag);
                    return flag;
                })
                .orElse(false);
    }

    /**
     * The content of a message in an encrypted conversation: standard base64, at most
     * {@code parley.e2ee.max-ciphertext-length} characters, stored and relayed exactly as sent. Throws
     * VALIDATION_FAILED.
     */
    public String requireCiphertext(String content) {
        if (content == null || content.isEmpty()) {
            throw ParleyException.validation("content", "content must be the base64 ciphertext");
        }
        if (content.length() > maxCiphertextLength) {
            throw new ParleyException(
                    ErrorCode.VALIDATION_FAILED,
                    "content is longer than " + maxCiphertextLength + " base64 characters",
                    Map.of("field", "content", "limit", maxCiphertextLength, "length", content.length()));
        }
        try {
            Base64.getDecoder().decode(content);
        } catch (IllegalArgumentException e) {
            throw ParleyException.validation(
                    "content", "content must be standard base64 in an end-to-end " + "encrypted conversation");
        }
        return content;
    }

    /** The error for a search inside an encrypted conversation. */
    public static ParleyException searchUnavailable() {
        return new ParleyException(
                ErrorCode.SEARCH_UNAVAILABLE,
                "Search is unavailable in an end-to-end encrypted conversation: the server cannot read it");
    }
}
