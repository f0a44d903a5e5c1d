package dev.parley.storage;

import java.net.URI;
import java.time.Instant;
import java.util.Map;

/** A request a client may make once signed: where, how, with which headers, until when. */
public record SignedRequest(URI url, String method, Map<String, String> headers, Instant expiresAt) {}
