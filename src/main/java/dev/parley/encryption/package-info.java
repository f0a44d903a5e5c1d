/**
 * End-to-end encryption: which conversations are end-to-end encrypted, what their content must look like (opaque
 * base64 ciphertext), and the key directory (identity keys, signed prekeys, one-time prekeys) clients use to set up
 * their sessions with each other. The server never holds a private key and never reads ciphertext.
 *
 * <p><b>Owns</b> the tables {@code identity_keys} and {@code one_time_prekeys} (V14); reads the {@code e2ee} flag
 * of {@code conversations}, which the conversation feature writes once, at creation.
 *
 * <p><b>Who calls it.</b> {@link dev.parley.encryption.ConversationEncryption#isEncrypted} is the one question the
 * send path, search, previews, pushes, webhooks and content rules ask before they look at a message's content.
 *
 * <p><b>May call:</b> {@code common}, {@code user}, {@code audit}.
 */
package dev.parley.encryption;
