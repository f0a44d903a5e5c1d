package dev.parley.conversation;

import dev.parley.membership.Role;
import dev.parley.user.UserView;
import java.util.UUID;

/** Published when a user became an active participant of an existing group (added, or back after leaving). */
public record ParticipantAdded(UUID conversationId, UserView user, Role role, UUID addedBy) {}
