/**
 * The admin API ({@code /api/v1/admin}): the reports queue and its resolutions, suspensions, deleting any message,
 * granting and withdrawing the admin role, reading and verifying the audit log, and contacts pushed in bulk.
 *
 * <p><b>Owns</b> no table: the admin role's sources live on the user ({@code users.admin_granted},
 * {@code users.external_admin}, V13) and in the settings ({@code parley.admin.usernames}); who is an admin is
 * decided here alone ({@link dev.parley.admin.AdminRoles}).
 *
 * <p><b>Whom it calls.</b> {@code user} (standing, suspension, the granted role), {@code message} (admin deletes),
 * {@code report} (queue, resolution), {@code contact} (contacts pushed in bulk), {@code audit} (one entry per act,
 * in the act's transaction), {@code common}.
 * Nothing calls it.
 */
package dev.parley.admin;
