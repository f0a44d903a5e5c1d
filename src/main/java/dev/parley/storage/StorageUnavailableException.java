package dev.parley.storage;

import dev.parley.common.ErrorCode;
import dev.parley.common.ParleyException;
import java.time.Duration;
import java.util.Map;

/**
 * The object store could not be reached or refused a request it should have accepted. A client that meets it
 * gets 503 with {@code Retry-After} and a generic message; {@link #detail()} (key and cause) is for the logs.
 */
public class StorageUnavailableException extends ParleyException {

    private final String detail;

    public StorageUnavailableException(String detail, Throwable cause) {
        super(ErrorCode.SERVICE_UNAVAILABLE, "Storage is unavailable; try again", Map.of(), Duration.ofSeconds(5),
                cause);
        this.detail = detail;
    }

    public String detail() {
        return detail;
    }
}
