package dev.parley.storage;

/**
 * Says whether an upload may still be written to {@code key}. A signed URL alone cannot be withdrawn before it
 * expires, so the local store asks this before it accepts a PUT: once the upload was completed, refused or
 * abandoned, its URL is refused (403) even though its signature is still good. The feature that issues upload
 * URLs implements it; storage knows nothing of what the keys mean.
 */
public interface UploadGate {

    /** True while something still waits for the bytes of {@code key}. */
    boolean accepts(String key);
}
