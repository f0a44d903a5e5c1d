package dev.parley.storage;

import dev.parley.common.ErrorCode;
import dev.parley.common.ParleyException;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Serves the local store's signed URLs, with S3's semantics: a PUT must carry exactly the signed content type
 * and length; a GET is served with the signed content type. No bearer token: the signature is the credential.
 * Unlike S3, a PUT is also refused once the {@link UploadGate} says nothing waits for its bytes any more (the
 * upload was completed, refused or abandoned), so a used URL cannot leave files behind.
 */
@Hidden
@RestController
@ConditionalOnProperty(name = "parley.storage.type", havingValue = "local", matchIfMissing = true)
class LocalStorageController {

    private final LocalObjectStorage storage;
    private final UploadGate gate;
    private final Clock clock;

    LocalStorageController(LocalObjectStorage storage, UploadGate gate, Clock clock) {
        this.storage = storage;
        this.gate = gate;
        this.clock = clock;
    }

    @PutMapping(LocalObjectStorage.PATH_PREFIX + "**")
    void upload(HttpServletRequest request, HttpServletResponse response, @RequestParam Map<String, String> query)
            throws IOException {
        String key = key(request);
        LocalObjectStorage.Signed signed = storage.verify("PUT", key, query);
        String contentType = request.getContentType();
        if (contentType == null || !contentType.trim().equalsIgnoreCase(signed.contentType())) {
            throw new ParleyException(
                    ErrorCode.FORBIDDEN, "Content-Type must be " + signed.contentType() + ", as signed");
        }
        if (!gate.accepts(key)) {
            throw new ParleyException(
                    ErrorCode.FORBIDDEN,
                    "This upload URL is no longer accepted: its upload was completed, refused or abandoned");
        }
        long declared = request.getContentLengthLong();
        if (declared != signed.length()) {
            throw new ParleyException(
                    declared > signed.length() ? ErrorCode.ATTACHMENT_TOO_LARGE : ErrorCode.VALIDATION_FAILED,
                    "Content-Length must be " + signed.length() + ", as signed");
        }
        try (InputStream body = request.getInputStream()) {
            storage.receive(key, signed, body);
        } catch (IOException e) {
            // A client that went away mid-upload, or a full disk: nothing was stored either way.
            throw new StorageUnavailableException("Cannot receive " + key, e);
        }
        response.setStatus(HttpStatus.OK.value());
    }

    @GetMapping(LocalObjectStorage.PATH_PREFIX + "**")
    void download(HttpServletRequest request, HttpServletResponse response, @RequestParam Map<String, String> query)
            throws IOException {
        String key = key(request);
        LocalObjectStorage.Signed signed = storage.verify("GET", key, query);
        InputStream in =
                storage.open(key).orElseThrow(() -> new ParleyException(ErrorCode.NOT_FOUND, "No such object"));
        try (in) {
            long seconds = Math.max(
                    0, Duration.between(clock.instant(), signed.expiresAt()).toSeconds());
            response.setStatus(HttpStatus.OK.value());
            response.setContentType(
                    MediaType.parseMediaType(signed.contentType()).toString());
            storage.size(key).ifPresent(response::setContentLengthLong);
            response.setHeader(HttpHeaders.CACHE_CONTROL, "private, max-age=" + seconds);
            response.setHeader("X-Content-Type-Options", "nosniff");
            response.setHeader("Content-Security-Policy", "default-src 'none'; sandbox");
            try (OutputStream out = response.getOutputStream()) {
                in.transferTo(out);
            }
        }
    }

    private static String key(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return path.substring(LocalObjectStorage.PATH_PREFIX.length());
    }
}
