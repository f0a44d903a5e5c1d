package dev.parley.attachment;

import java.util.Map;
import java.util.UUID;

/** Where and how to PUT the bytes: {@code headers} must be sent as given, with exactly the declared length. */
public record UploadTicket(
        UUID attachmentId, String uploadUrl, String method, Map<String, String> headers, long expiresIn) {}
