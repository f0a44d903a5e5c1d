package dev.parley.moderation;

/**
 * The things Parley limits per user. {@link #key()} names the limit in Redis keys, metrics and error details;
 * {@link #what()} in the error message.
 */
public enum RateLimit {
    /** Text and image messages sent (system messages are not limited). */
    MESSAGE("message", "messages"),
    /** Image upload tickets requested ({@code upload-url}). */
    IMAGE_UPLOAD("image_upload", "image uploads"),
    /**
     * Password logins tried for one username from one client address, successful or not: counted before the
     * password is checked, so that a guesser is stopped before the slow hash runs and a lucky guess during a
     * lockout does not get through. Per address as well as per username, so that nobody can lock a user out of
     * logging in from anywhere but the attacker's own address.
     */
    LOGIN_ATTEMPT("login_attempt", "login attempts"),
    /** Password logins tried from one client address, for any usernames: stops guessing across many accounts. */
    LOGIN_FROM_ADDRESS("login_from_address", "login attempts from this address"),
    /** Groups created. */
    GROUP_CREATE("group_create", "groups created"),
    /**
     * Users put into groups, one unit per user added (at creation too): whoever may put anyone into groups could
     * otherwise fill a stranger's conversation list.
     */
    MEMBER_ADD("member_add", "members added to groups"),
    /**
     * Password logins tried for one account (username) from addresses that never had a session of it, whatever
     * those addresses are: a guesser rotating addresses is slowed down, while the user's own addresses (those of
     * their sessions) are exempt, so nobody can lock a user out everywhere.
     */
    LOGIN_ACCOUNT("login_account", "login attempts for this account from new addresses"),
    /** Accounts registered from one client address. */
    REGISTRATION("registration", "registrations from this address"),
    /** Message searches, in one conversation or across all: each costs the database up to the search timeout. */
    SEARCH("search", "searches"),
    /**
     * User directory look-ups ({@code GET /users?query=}): a type-ahead asks once per keystroke, so the allowance is
     * larger than for message searches, yet it keeps one account from listing the whole directory.
     */
    USER_SEARCH("user_search", "user searches"),
    /**
     * Typing starts and stops (REST and WebSocket frames): each checks membership in the database and may fan out
     * to every member, so a flood of them is refused before either happens.
     */
    TYPING("typing", "typing updates"),
    /** {@code presence.heartbeat} frames: each writes the presence store (Redis when configured). */
    PRESENCE("presence", "presence updates"),
    /** Reports of messages and users: each one lands in the admins' queue. */
    REPORT("report", "reports"),
    /**
     * Requests to strangers: contact requests, and (contact policy {@code requests}) direct chats and group
     * invitations that wait in a non-contact's requests folder, one unit each: nobody may fill strangers' folders.
     */
    CONTACT_REQUEST("contact_request", "requests to people who are not your contacts");

    private final String key;
    private final String what;

    RateLimit(String key, String what) {
        this.key = key;
        this.what = what;
    }

    public String key() {
        return key;
    }

    String what() {
        return what;
    }
}
