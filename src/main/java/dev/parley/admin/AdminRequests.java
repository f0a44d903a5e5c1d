package dev.parley.admin;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;

/** Bodies of the admin API. */
final class AdminRequests {

    private AdminRequests() {}

    /** {@code POST /admin/users/{id}/suspend}: {@code until} absent means until unsuspended. */
    record Suspend(Instant until, @NotBlank @Size(max = 500) String reason) {}

    /**
     * {@code POST /admin/reports/{id}/resolve}; {@code until} bounds the suspension of {@code suspend_user} (absent:
     * until unsuspended).
     */
    record Resolve(
            @NotNull
            @Pattern(
                    regexp = "dismiss|delete_message|suspend_user",
                    message = "must be dismiss, delete_message or suspend_user")
            String action,

            @Size(max = 1000) String note,
            Instant until) {}
}
