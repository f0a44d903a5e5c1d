package dev.parley.storage;

import dev.parley.common.UnavailableException;
import java.time.Duration;

/**
 * The object store could not be reached or refused a request it should have accepted. A client that meets it
 * gets 503 with {@code Retry-After} and a generic message; {@link #detail()} (key and cause) is for the logs.
 */
public class StorageUnavailableException extends UnavailableException {

    private final String detail;

    public StorageUnavailableException(String detail, Throwable cause) {
        super(Dependency.STORAGE, "Storage is unavailable; try again", Duration.ofSeconds(5), cause);
        this.detail = detail;
    }

    public String detail() {
        return detail;
    }

    @Override
    public String logDetail() {
        return detail;
    }
}
