package dev.parley.audit;

import java.util.List;

/** {@code {entries, next_cursor}}: newest first; {@code nextCursor} is null on the last page. */
public record AuditPage(List<AuditRecord> entries, String nextCursor) {}
