package dev.parley.admin;

import dev.parley.user.UserView;
import java.time.Instant;
import java.util.List;

/**
 * {@code GET /admin/users/{id}}: the user object, {@code role} ({@code admin} or {@code member}) with where an admin
 * role comes from ({@code admin_sources}: configured, granted, claim), and the account's standing. The only user
 * view that shows a role: the contract's user object has none.
 */
record AdminUserView(
        UserView user,
        String role,
        List<String> adminSources,
        boolean isDeleted,
        boolean isSuspended,
        Instant suspendedUntil,
        String suspensionReason,
        Instant createdAt) {}
