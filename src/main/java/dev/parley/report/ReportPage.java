package dev.parley.report;

import java.util.List;

/** {@code {reports, next_cursor}}; {@code nextCursor} is null on the last page. */
public record ReportPage(List<ReportView> reports, String nextCursor) {}
