package dev.parley.report;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** {@code POST /messages/{id}/report} and {@code POST /users/{id}/report}. */
public record ReportRequest(
        @NotNull
        @Pattern(
                regexp = "spam|abuse|sexual|violence|other",
                message = "must be spam, abuse, sexual, violence or other")
        String reason,

        @Size(max = 1000) String note) {}
