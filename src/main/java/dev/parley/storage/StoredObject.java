package dev.parley.storage;

import java.time.Instant;

/** An object as a listing shows it: its key, size in bytes, and when it was last written. */
public record StoredObject(String key, long size, Instant lastModified) {}
