package dev.parley.report;

import java.util.UUID;

/** The answer to a report (202): the report that holds it, the same one for a repeated report of one target. */
public record ReportReceipt(UUID reportId) {}
