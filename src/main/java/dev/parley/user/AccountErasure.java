package dev.parley.user;

import java.util.UUID;

/**
 * One kind of a deleted account's data that its erasure removes: the profile, sessions, group memberships,
 * reactions, messages, images, keys, exports, and whatever later features keep about a user (devices, say). A
 * feature that stores a user's data adds a bean of this type; {@link AccountDeletions} runs every such bean, in
 * {@code @Order}, until each reports that nothing is left.
 *
 * <p>Each call runs inside the erasure's transaction, which commits after it, so a step must do a bounded batch per
 * call (a large account is erased in many short transactions, never holding locks that sends wait on), and must be
 * safe to run again at any point: a node can stop after any batch, and the next run starts over from the first step.
 */
public interface AccountErasure {

    /** Order of the built-in steps; features place theirs relative to these with {@code @Order}. */
    int PROFILE = 100;

    int SESSIONS = 200;
    int GROUPS = 300;
    int REACTIONS = 400;
    int MESSAGES = 500;
    int IMAGES = 600;
    int KEYS = 700;
    int EXPORTS = 800;

    /**
     * Erases at most {@code batch} items of this kind belonging to the user; true when none is left. Events the
     * erasure publishes (a tombstone, a member leaving) reach clients after the batch commits.
     */
    boolean eraseSome(UUID userId, int batch);
}
