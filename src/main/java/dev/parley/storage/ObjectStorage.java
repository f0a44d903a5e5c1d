package dev.parley.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Where attachment bytes live: S3 (or an S3-compatible store) in production, a local folder in the embedded
 * setup. Clients never stream bytes through Parley's API: they get signed URLs, bound to one key, one method, a
 * content type and (for uploads) an exact length, valid for a short time.
 *
 * <p>Failures to reach the store surface as {@link StorageUnavailableException}, which callers turn into a 503
 * or a retried background job.
 */
public interface ObjectStorage {

    /** A signed PUT for exactly {@code contentLength} bytes of {@code contentType} to {@code key}. */
    SignedRequest signUpload(String key, String contentType, long contentLength, Duration ttl);

    /** A signed GET of {@code key}, served with {@code contentType}. */
    SignedRequest signDownload(String key, String contentType, Duration ttl);

    /** The stored object's size, or empty when there is none. */
    Optional<Long> size(String key);

    /** Opens the object for reading; empty when there is none. The caller closes the stream. */
    Optional<InputStream> open(String key);

    /** Copies the object into {@code target} (replacing it); false when there is no such object. */
    default boolean download(String key, Path target) {
        Optional<InputStream> in = open(key);
        if (in.isEmpty()) {
            return false;
        }
        try (InputStream body = in.get()) {
            Files.copy(body, target, StandardCopyOption.REPLACE_EXISTING);
            return true;
        } catch (IOException e) {
            throw new StorageUnavailableException("Cannot read " + key, e);
        }
    }

    /** Stores a file under {@code key}, replacing any object there. */
    void put(String key, Path file, String contentType);

    /**
     * Moves an object to another key, replacing what is there; false when there is no object at {@code from}.
     * Afterwards nothing a client signed for {@code from} can change what is at {@code to}.
     */
    boolean move(String from, String to);

    /**
     * Up to {@code limit} objects whose keys start with {@code prefix}, in key order, after {@code startAfter}
     * (null: from the first). A page shorter than {@code limit} is the last.
     */
    List<StoredObject> list(String prefix, String startAfter, int limit);

    /** Removes the object; removing one that is not there is not an error. */
    void delete(String key);

    /** Throws {@link StorageUnavailableException} when the store cannot be used (readiness). */
    void check();
}
