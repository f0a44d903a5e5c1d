package dev.parley.export;

import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The contract's export status: {@code download_url} and {@code expires_in} (seconds the link works) once ready;
 * {@code progress}, messages written so far, while it is built.
 */
public record ExportView(
        UUID exportId,
        String status,
        @Nullable Long progress,
        @Nullable String downloadUrl,
        @Nullable Long expiresIn) {}
