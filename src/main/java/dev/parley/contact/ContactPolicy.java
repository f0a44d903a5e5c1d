package dev.parley.contact;

/**
 * Who may start a direct conversation with whom, or put whom into a group ({@code PARLEY_CONTACT_POLICY}):
 * {@code open} anyone; {@code requests} anyone, but what a non-contact starts arrives as a request;
 * {@code contacts} contacts only (403 NOT_A_CONTACT otherwise).
 */
public enum ContactPolicy {
    OPEN,
    REQUESTS,
    CONTACTS
}
