package dev.parley.common;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every secret Parley keeps on disk (the token secret, the local store's signing key, the embedded database's
 * password) lives in a file only its owner may read (0600), in a folder only its owner may enter (0700). Files
 * and folders made by earlier versions, or loosened by hand, are tightened when they are next read, so an
 * upgrade needs nothing from the operator.
 */
public final class SecretFiles {

    private static final Logger log = LoggerFactory.getLogger(SecretFiles.class);
    public static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
    public static final Set<PosixFilePermission> OWNER_ONLY_FOLDER = PosixFilePermissions.fromString("rwx------");
    private static final SecureRandom RANDOM = new SecureRandom();

    private SecretFiles() {}

    /** Creates the folder (and its parents) if needed and makes it 0700. */
    public static Path secureFolder(Path folder) {
        try {
            if (!Files.isDirectory(folder) && posix(folder.toAbsolutePath().getRoot())) {
                Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(OWNER_ONLY_FOLDER));
            }
            Files.createDirectories(folder);
            restrict(folder, OWNER_ONLY_FOLDER);
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create or protect the folder " + folder, e);
        }
    }

    /**
     * The secret kept in {@code file}, made on first use as {@code bytes} random bytes (base64). Of several
     * processes creating it at once on a shared folder, the first one's secret is kept and every one reads it.
     */
    public static byte[] readOrCreateKey(Path file, int bytes) {
        String text = readOrCreate(file, () -> {
            byte[] fresh = new byte[bytes];
            RANDOM.nextBytes(fresh);
            return Base64.getEncoder().encodeToString(fresh);
        });
        return Base64.getDecoder().decode(text);
    }

    /** As {@link #readOrCreateKey}, for a secret used as text (a password): base64url, no padding. */
    public static String readOrCreateToken(Path file, int bytes) {
        return readOrCreate(file, () -> {
            byte[] fresh = new byte[bytes];
            RANDOM.nextBytes(fresh);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(fresh);
        });
    }

    private static String readOrCreate(Path file, Supplier<String> fresh) {
        Path folder = file.toAbsolutePath().getParent();
        secureFolder(folder);
        try {
            if (!Files.exists(file)) {
                create(file, folder, fresh.get());
            }
            restrict(file, OWNER_ONLY_FILE);
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create the secret " + file, e);
        }
    }

    /** Written whole under another name first, so a crash never leaves a half-written secret. */
    private static void create(Path file, Path folder, String secret) throws IOException {
        Path partial = posix(folder)
                ? Files.createTempFile(
                        folder,
                        "." + file.getFileName(),
                        ".part",
                        PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE))
                : Files.createTempFile(folder, "." + file.getFileName(), ".part");
        try {
            Files.writeString(partial, secret, StandardCharsets.UTF_8);
            try {
                // A link fails when the file exists, where a move would replace it: the first secret wins.
                Files.createLink(file, partial);
            } catch (FileAlreadyExistsException raced) {
                // Another process made it first; theirs is read.
            } catch (UnsupportedOperationException noLinks) {
                Files.move(partial, file);
            }
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    private static void restrict(Path path, Set<PosixFilePermission> wanted) throws IOException {
        if (!posix(path)) {
            return; // not a POSIX file system: its own access rules apply
        }
        Set<PosixFilePermission> current = Files.getPosixFilePermissions(path);
        if (!current.equals(wanted)) {
            Files.setPosixFilePermissions(path, wanted);
            log.warn(
                    "Tightened the permissions of {} from {} to {}",
                    path,
                    PosixFilePermissions.toString(current),
                    PosixFilePermissions.toString(wanted));
        }
    }

    private static boolean posix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
