package dev.parley.storage;

import dev.parley.common.ErrorCode;
import dev.parley.common.ParleyException;
import dev.parley.common.SecretFiles;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Objects as files in one folder, for the embedded setup. Its signed URLs point at Parley itself
 * ({@link LocalStorageController}) and carry the same promises as S3's pre-signed ones: one key, one method, an
 * expiry, the content type (and, for uploads, the exact length) bound into an HMAC-SHA256 signature.
 *
 * <p>Several nodes can share it only through a shared folder and a shared {@code signing-key}.
 */
public class LocalObjectStorage implements ObjectStorage {

    /** Keys are ours (never a client's filename): a short safe alphabet, so no key can leave the folder. */
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)*");

    private static final String HMAC = "HmacSHA256";
    static final String PATH_PREFIX = "/storage/";

    private final Path root;
    private final Supplier<URI> publicUrl;
    private final byte[] signingKey;
    private final Clock clock;

    /**
     * {@code publicUrl} is asked each time a URL is signed: with a random port it is known only once the server
     * listens.
     */
    public LocalObjectStorage(Path root, Supplier<URI> publicUrl, String signingKey, Clock clock) {
        this.root = root.toAbsolutePath().normalize();
        this.publicUrl = publicUrl;
        this.clock = clock;
        // The signing key lives here, and the objects are served only through signed URLs: nobody else may look.
        SecretFiles.secureFolder(this.root);
        this.signingKey =
                signingKey == null || signingKey.isBlank() ? storedKey() : signingKey.getBytes(StandardCharsets.UTF_8);
        if (this.signingKey.length < 32) {
            // A short key could be guessed offline from any URL it signed, and then sign any upload or read.
            throw new IllegalStateException("parley.storage.local.signing-key must be at least 32 bytes");
        }
    }

    @Override
    public SignedRequest signUpload(String key, String contentType, long contentLength, Duration ttl) {
        Instant expires = expiry(ttl);
        String signature = sign("PUT", key, expires.getEpochSecond(), contentType, contentLength);
        URI url = url(key, expires, contentType, contentLength, signature);
        return new SignedRequest(url, "PUT", Map.of("Content-Type", contentType), expires);
    }

    @Override
    public SignedRequest signDownload(String key, String contentType, Duration ttl) {
        Instant expires = expiry(ttl);
        String signature = sign("GET", key, expires.getEpochSecond(), contentType, -1);
        return new SignedRequest(url(key, expires, contentType, -1, signature), "GET", Map.of(), expires);
    }

    @Override
    public Optional<Long> size(String key) {
        try {
            return Optional.of(Files.size(file(key)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StorageUnavailableException("Cannot read " + key, e);
        }
    }

    @Override
    public Optional<InputStream> open(String key) {
        try {
            return Optional.of(Files.newInputStream(file(key)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StorageUnavailableException("Cannot read " + key, e);
        }
    }

    @Override
    public void put(String key, Path source, String contentType) {
        try (InputStream in = Files.newInputStream(source)) {
            write(key, in, Long.MAX_VALUE, false);
        } catch (IOException e) {
            throw new StorageUnavailableException("Cannot store " + key, e);
        }
    }

    @Override
    public boolean move(String from, String to) {
        Path source = file(from);
        Path target = file(to);
        try {
            Files.createDirectories(target.getParent());
            move(source, target);
            return true;
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw new StorageUnavailableException("Cannot move " + from + " to " + to, e);
        }
    }

    /**
     * Walks the folder under the prefix's directory. Files that are not objects (uploads still arriving,
     * {@code .upload-*.part}, and the signing key) have no valid key and are left out.
     */
    @Override
    public List<StoredObject> list(String prefix, String startAfter, int limit) {
        int slash = prefix.lastIndexOf('/');
        Path dir = slash < 0 ? root : file(prefix.substring(0, slash));
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<StoredObject> page = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            List<Path> sorted = files.filter(Files::isRegularFile)
                    .filter(path -> {
                        String key = key(path);
                        return KEY.matcher(key).matches()
                                && key.startsWith(prefix)
                                && (startAfter == null || key.compareTo(startAfter) > 0);
                    })
                    .sorted(Comparator.comparing(this::key))
                    .limit(limit)
                    .toList();
            for (Path path : sorted) {
                try {
                    page.add(new StoredObject(
                            key(path),
                            Files.size(path),
                            Files.getLastModifiedTime(path).toInstant()));
                } catch (NoSuchFileException gone) {
                    // Deleted while listing: not part of the page.
                }
            }
            return page;
        } catch (IOException | UncheckedIOException e) {
            throw new StorageUnavailableException("Cannot list " + prefix, e);
        }
    }

    private String key(Path file) {
        return root.relativize(file).toString().replace(File.separatorChar, '/');
    }

    @Override
    public void delete(String key) {
        try {
            Files.deleteIfExists(file(key));
        } catch (IOException e) {
            throw new StorageUnavailableException("Cannot delete " + key, e);
        }
    }

    @Override
    public void check() {
        if (!Files.isDirectory(root) || !Files.isWritable(root)) {
            throw new StorageUnavailableException("Storage folder " + root + " is not writable", null);
        }
    }

    /**
     * Checks a signed request's query against its method and key. Throws FORBIDDEN when the signature does not
     * match or the URL expired (as S3 answers 403 for both).
     */
    Signed verify(String method, String key, Map<String, String> query) {
        requireKey(key);
        String expiresText = query.get("expires");
        String type = query.get("type");
        String lengthText = query.get("length");
        String signature = query.get("signature");
        if (expiresText == null || type == null || signature == null) {
            throw forbidden("The URL is not signed");
        }
        long expires;
        long length;
        try {
            expires = Long.parseLong(expiresText);
            length = lengthText == null || lengthText.isEmpty() ? -1 : Long.parseLong(lengthText);
        } catch (NumberFormatException e) {
            throw forbidden("The URL is not signed");
        }
        byte[] expected = sign(method, key, expires, type, length).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII))) {
            throw forbidden("The signature does not match");
        }
        if (clock.instant().getEpochSecond() > expires) {
            throw forbidden("The URL has expired");
        }
        return new Signed(type, length, Instant.ofEpochSecond(expires));
    }

    /** What a verified signature promises: the content type and, for an upload, the exact length. */
    record Signed(String contentType, long length, Instant expiresAt) {}

    /**
     * Stores an upload of exactly {@code signed.length()} bytes; the object appears only once all of it has
     * arrived, so a broken upload leaves nothing behind. Throws ATTACHMENT_TOO_LARGE when the body runs past
     * the signed length, VALIDATION_FAILED when it stops short.
     */
    void receive(String key, Signed signed, InputStream body) throws IOException {
        write(key, body, signed.length(), true);
    }

    Path file(String key) {
        requireKey(key);
        return root.resolve(key);
    }

    /** Writes to a temporary file and moves it into place only when complete (exactly {@code limit} if exact). */
    private void write(String key, InputStream in, long limit, boolean exact) throws IOException {
        Path target = file(key);
        Files.createDirectories(target.getParent());
        Path partial = Files.createTempFile(target.getParent(), ".upload-", ".part");
        try {
            long total = 0;
            byte[] buffer = new byte[64 * 1024];
            try (OutputStream out = Files.newOutputStream(partial)) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    total += n;
                    if (total > limit) {
                        throw new ParleyException(
                                ErrorCode.ATTACHMENT_TOO_LARGE,
                                "The upload is larger than the signed " + limit + " bytes");
                    }
                    out.write(buffer, 0, n);
                }
            }
            if (exact && total != limit) {
                throw new ParleyException(
                        ErrorCode.VALIDATION_FAILED,
                        "The upload ended after " + total + " of the signed " + limit + " bytes");
            }
            move(partial, target);
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void requireKey(String key) {
        if (key == null || key.length() > 512 || !KEY.matcher(key).matches() || key.contains("..")) {
            throw new ParleyException(ErrorCode.NOT_FOUND, "No such object");
        }
    }

    private Instant expiry(Duration ttl) {
        return clock.instant().plus(ttl).truncatedTo(ChronoUnit.SECONDS);
    }

    private URI url(String key, Instant expires, String contentType, long length, String signature) {
        requireKey(key);
        Map<String, String> query = new LinkedHashMap<>();
        query.put("expires", Long.toString(expires.getEpochSecond()));
        query.put("type", contentType);
        if (length >= 0) {
            query.put("length", Long.toString(length));
        }
        query.put("signature", signature);
        StringBuilder url = new StringBuilder(publicUrl.get().toString().replaceAll("/+$", ""))
                .append(PATH_PREFIX)
                .append(key)
                .append('?');
        query.forEach((name, value) -> url.append(name)
                .append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8))
                .append('&'));
        url.setLength(url.length() - 1);
        return URI.create(url.toString());
    }

    private String sign(String method, String key, long expires, String contentType, long length) {
        String canonical = method + '\n' + key + '\n' + expires + '\n' + contentType + '\n' + length;
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(signingKey, HMAC));
            return Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(mac.doFinal(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    /** A random key made on first start and kept beside the objects, so URLs survive a restart. */
    private byte[] storedKey() {
        // Whoever reads it can sign uploads and reads of any object: 0600 in a 0700 folder.
        return SecretFiles.readOrCreateKey(root.resolve(".signing-key"), 32);
    }

    private static ParleyException forbidden(String message) {
        return new ParleyException(ErrorCode.FORBIDDEN, message);
    }
}
