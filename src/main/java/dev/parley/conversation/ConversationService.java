package dev.parley.conversation;

import dev.parley.common.ErrorCode;
import dev.parley.common.Ids;
import dev.parley.common.ParleyException;
import dev.parley.common.Text;
import dev.parley.membership.ConversationType;
import dev.parley.membership.Membership;
import dev.parley.membership.MembershipService;
import dev.parley.membership.Role;
import dev.parley.message.MessagePreviews;
import dev.parley.message.MessageView;
import dev.parley.message.SystemMessages;
import dev.parley.user.UserService;
import dev.parley.user.UserView;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Creating, listing, renaming, leaving and muting conversations. Membership changes live in ParticipantService. */
@Service
public class ConversationService {

    public static final int DEFAULT_PAGE = 20;
    public static final int MAX_PAGE = 100;

    /** {@code created} is false when a direct conversation for the pair already existed. */
    public record CreateResult(ConversationView conversation, boolean created) {}

    private final ConversationRepository conversations;
    private final MembershipService access;
    private final GroupAdmission admission;
    private final UserService users;
    private final MessagePreviews messages;
    private final SystemMessages systemMessages;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    ConversationService(
            ConversationRepository conversations,
            MembershipService access,
            GroupAdmission admission,
            UserService users,
            MessagePreviews messages,
            SystemMessages systemMessages,
            ApplicationEventPublisher events,
            Clock clock) {
        this.conversations = conversations;
        this.events = events;
        this.access = access;
        this.admission = admission;
        this.users = users;
        this.messages = messages;
        this.systemMessages = systemMessages;
        this.clock = clock;
    }

    /**
     * Creates a direct conversation (or returns the pair's existing one) or a group owned by the caller. Under the
     * contact policy {@code requests}, a non-contact gets a request instead of a membership (see GroupAdmission).
     * Throws VALIDATION_FAILED, USER_NOT_FOUND, USER_BLOCKED, NOT_A_CONTACT, RATE_LIMIT_EXCEEDED (groups and
     * members added).
     */
    @Transactional
    public CreateResult create(UUID caller, ConversationRequests.Create request) {
        return ConversationType.of(request.type()) == ConversationType.DIRECT
                ? createDirect(caller, request)
                : createGroup(caller, request);
    }

    private CreateResult createDirect(UUID caller, ConversationRequests.Create request) {
        if (request.participantIds().size() != 1
                || request.participantIds().getFirst().equals(caller)) {
            throw ParleyException.validation("participant_ids", "A direct conversation needs exactly one other user");
        }
        UUID other = request.participantIds().getFirst();
        boolean asRequest = admission.direct(caller, other);
        Instant now = now();
        String pair = caller.compareTo(other) < 0 ? caller + ":" + other : other + ":" + caller;
        // The pair's encrypted conversation is a second one, beside the plain one: a key of its own.
        String key = request.encrypted() ? "e2ee:" + pair : pair;
        UUID candidate = Ids.uuidV7(now.toEpochMilli());
        UUID id = conversations.insertDirect(candidate, caller, key, request.encrypted(), now);
        boolean created = id.equals(candidate);
        if (created) {
            conversations.addParticipant(id, caller, Role.MEMBER, now, null);
            conversations.addParticipant(id, other, Role.MEMBER, now, asRequest ? caller : null);
            if (asRequest) {
                events.publishEvent(new RequestNotices.Changed(other, id));
            }
        } else if (conversations.unhide(id, caller)) {
            // The caller had it as a request and opened it themselves: now theirs, as if accepted.
            events.publishEvent(new ParticipantAdded(id, users.get(caller), Role.MEMBER, caller));
            events.publishEvent(new RequestNotices.Changed(caller, id));
        }
        return new CreateResult(get(caller, id), created);
    }

    private CreateResult createGroup(UUID caller, ConversationRequests.Create request) {
        String name = request.name() == null
                ? null
                : Text.requireStorable("name", request.name().strip());
        if (name == null || name.isEmpty()) {
            throw ParleyException.validation("name", "A group needs a name");
        }
        name = admission.name(caller, name);
        Set<UUID> members = new LinkedHashSet<>(request.participantIds());
        members.remove(caller);
        Map<UUID, UserView> found = users.getAll(members);
        if (found.size() != members.size()) {
            List<UUID> missing =
                    members.stream().filter(id -> !found.containsKey(id)).toList();
            throw new ParleyException(
                    ErrorCode.USER_NOT_FOUND,
                    "Unknown users in participant_ids",
                    Map.of("field", "participant_ids", "user_ids", missing));
        }
        Set<UUID> invited = admission.creating(caller, members);
        Instant now = now();
        UUID id = Ids.uuidV7(now.toEpochMilli());
        conversations.insertConversation(
                id, ConversationType.GROUP, name, emptyToNull(request.photoUrl()), caller, request.encrypted(), now);
        conversations.addParticipant(id, caller, Role.OWNER, now, null);
        for (UUID member : members) {
            conversations.addParticipant(id, member, Role.MEMBER, now, invited.contains(member) ? caller : null);
        }
        // Every invitee's folder counted in one statement, however many they are; each hears of their own.
        events.publishEvent(new RequestNotices.Changed(List.copyOf(invited), id));
        // Invitees are no members until they accept (member_added then); the message names the members only.
        members.removeAll(invited);
        UserView actor = users.get(caller);
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("action", "group_created");
        metadata.put("actor_id", caller.toString());
        metadata.put("target_id", null);
        // The first few, as the participant preview: this message is the list row's preview until another.
        metadata.put(
                "member_ids",
                members.stream()
                        .limit(ConversationView.PARTICIPANT_PREVIEW)
                        .map(UUID::toString)
                        .toList());
        metadata.put("member_count", members.size());
        systemMessages.post(id, actor, actor.displayName() + " created the group \"" + name + "\"", metadata);
        return new CreateResult(get(caller, id), true);
    }

    /**
     * One conversation, with the same bounded participant preview as a list row (a group holds up to 1,000
     * members; the whole list is paged by {@link ParticipantService#list}); a request waiting for the caller too.
     * Throws CONVERSATION_NOT_FOUND.
     */
    public ConversationView get(UUID caller, UUID conversationId) {
        ConversationRepository.Row row =
                conversations.row(conversationId, caller).orElseThrow(ParleyException::conversationNotFound);
        return assemble(List.of(row), caller).getFirst();
    }

    /**
     * The caller's conversations (or, with {@code requests}, the requests waiting for them), newest activity first,
     * with previews and exact unread counts, in a constant number of queries. {@code before} is a
     * {@code next_cursor} or an RFC 3339 time. {@code requests} of the page is left for the caller to fill in.
     * Throws VALIDATION_FAILED.
     */
    ConversationView.Page list(UUID caller, boolean requests, String before, Integer limit) {
        int size = limit == null ? DEFAULT_PAGE : limit;
        if (size < 1 || size > MAX_PAGE) {
            throw ParleyException.validation("limit", "limit must be between 1 and " + MAX_PAGE);
        }
        TimeIdCursor cursor = before(before);
        List<ConversationRepository.Row> rows = conversations.page(
                caller, requests, cursor == null ? null : cursor.time(), cursor == null ? null : cursor.id(), size + 1);
        boolean more = rows.size() > size;
        List<ConversationRepository.Row> shown = more ? rows.subList(0, size) : rows;
        String next = more
                ? new TimeIdCursor(
                                shown.getLast().lastMessageAt(), shown.getLast().conversationId())
                        .encode()
                : null;
        return new ConversationView.Page(assemble(shown, caller), more, next, null);
    }

    /** A {@code next_cursor}, or a bare RFC 3339 time (exclusive: the nil id sorts below every other). */
    private static TimeIdCursor before(String before) {
        if (before != null && !before.isBlank() && before.indexOf('_') < 0) {
            try {
                return new TimeIdCursor(Text.requireStorable("before", Instant.parse(before)), null);
            } catch (DateTimeParseException e) {
                throw ParleyException.validation("before", "before must be a next_cursor or an RFC 3339 time");
            }
        }
        return TimeIdCursor.parse("before", before);
    }

    /** Renames a group or changes its photo. Throws CONVERSATION_NOT_FOUND, FORBIDDEN, VALIDATION_FAILED. */
    @Transactional
    public ConversationView update(UUID caller, UUID conversationId, ConversationRequests.Update request) {
        Membership me = access.requireMember(conversationId, caller);
        if (!me.isGroup()) {
            throw ParleyException.forbidden("Direct conversations have no name or photo to change");
        }
        if (!LockedGroup.lock(conversations, me).callerModerates()) {
            throw ParleyException.forbidden("Only a group's admins and owner can change it");
        }
        String name = request.name() == null
                ? null
                : Text.requireStorable("name", request.name().strip());
        if (name != null && name.isEmpty()) {
            throw ParleyException.validation("name", "name must not be blank");
        }
        name = admission.name(caller, name);
        String photo = request.photoUrl();
        boolean clearPhoto = photo != null && photo.isEmpty();
        String oldName = conversations.currentName(conversationId).orElse("");
        conversations.update(conversationId, name, clearPhoto ? null : photo, clearPhoto, now());
        if (name != null && !name.equals(oldName)) {
            systemMessages.post(
                    conversationId,
                    me.member(),
                    me.member().displayName() + " renamed the group to \"" + name + "\"",
                    systemMetadata("group_renamed", caller, null, Map.of("name", name, "old_name", oldName)));
        }
        if (photo != null) {
            systemMessages.post(
                    conversationId,
                    me.member(),
                    me.member().displayName() + (clearPhoto ? " removed the group photo" : " changed the group photo"),
                    systemMetadata(
                            "group_photo_changed", caller, null, clearPhoto ? Map.of() : Map.of("photo_url", photo)));
        }
        ConversationView updated = get(caller, conversationId);
        events.publishEvent(new ConversationUpdated(
                conversationId,
                updated.name(),
                updated.photoUrl(),
                caller,
                updated.updatedAt(),
                updated.messageTtlSeconds()));
        return updated;
    }

    /**
     * DELETE on a conversation: leaving a group (ownership passes on when the owner leaves), or hiding a direct
     * conversation until its next message. Throws CONVERSATION_NOT_FOUND.
     */
    @Transactional
    public void leaveOrHide(UUID caller, UUID conversationId) {
        Membership me = access.requireMember(conversationId, caller);
        if (!me.isGroup()) {
            conversations.hide(conversationId, caller);
            return;
        }
        leaveGroup(me);
    }

    /** The caller leaves a group; used by DELETE on the conversation and on one's own participant entry. */
    void leaveGroup(Membership me) {
        UUID conversationId = me.conversationId();
        UUID caller = me.member().userId();
        List<ConversationRepository.Active> active =
                LockedGroup.lock(conversations, me).active();
        Instant now = now();
        conversations.markLeft(conversationId, caller, now);
        events.publishEvent(new ParticipantRemoved(conversationId, caller, caller));
        systemMessages.post(
                conversationId,
                me.member(),
                me.member().displayName() + " left the group",
                systemMetadata("member_left", caller, caller, Map.of()));
        List<ConversationRepository.Active> remaining =
                active.stream().filter(a -> !a.userId().equals(caller)).toList();
        if (remaining.isEmpty()) {
            conversations.archive(conversationId, now);
            return;
        }
        boolean ownerLeft = active.stream().anyMatch(a -> a.userId().equals(caller) && a.role() == Role.OWNER);
        if (ownerLeft) {
            ConversationRepository.Active heir = remaining.stream()
                    .filter(a -> a.role() == Role.ADMIN)
                    .findFirst()
                    .orElse(remaining.getFirst());
            conversations.setRole(conversationId, heir.userId(), Role.OWNER);
            UserView heirView = users.get(heir.userId());
            systemMessages.post(
                    conversationId,
                    me.member(),
                    heirView.displayName() + " is now the owner",
                    systemMetadata("role_changed", caller, heir.userId(), Map.of("role", Role.OWNER.wire())));
        }
    }

    /** Throws CONVERSATION_NOT_FOUND, VALIDATION_FAILED (an end in the past). */
    public ConversationView mute(UUID caller, UUID conversationId, ConversationRequests.Mute request) {
        access.requireMember(conversationId, caller);
        Instant until = request.muted() ? Text.requireStorable("until", request.until()) : null;
        if (until != null && !until.isAfter(clock.instant())) {
            throw ParleyException.validation("until", "until must be in the future");
        }
        conversations.setMute(conversationId, caller, request.muted(), until);
        return get(caller, conversationId);
    }

    static Map<String, Object> systemMetadata(String action, UUID actor, UUID target, Map<String, Object> extra) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("action", action);
        metadata.put("actor_id", actor.toString());
        metadata.put("target_id", target == null ? null : target.toString());
        metadata.putAll(extra);
        return metadata;
    }

    private List<ConversationView> assemble(List<ConversationRepository.Row> rows, UUID viewer) {
        if (rows.isEmpty()) {
            return List.of();
        }
        List<UUID> ids =
                rows.stream().map(ConversationRepository.Row::conversationId).toList();
        Map<UUID, List<ConversationView.Participant>> participants =
                conversations.participantPreviews(ids, ConversationView.PARTICIPANT_PREVIEW).stream()
                        .collect(Collectors.groupingBy(
                                ConversationRepository.ParticipantRow::conversationId,
                                Collectors.mapping(ConversationRepository.ParticipantRow::view, Collectors.toList())));
        Map<UUID, MessageView> previews = messages.previews(
                rows.stream()
                        .filter(r -> r.lastMessageId() != null)
                        .map(r -> new MessagePreviews.PreviewKey(r.lastMessageId(), r.lastMessageAt()))
                        .toList(),
                viewer);
        Instant now = clock.instant();
        List<ConversationView> out = new ArrayList<>(rows.size());
        for (ConversationRepository.Row r : rows) {
            boolean muted =
                    r.muted() && (r.mutedUntil() == null || r.mutedUntil().isAfter(now));
            out.add(new ConversationView(
                    r.conversationId(),
                    r.type(),
                    r.name(),
                    r.photoUrl(),
                    r.createdBy(),
                    r.createdAt(),
                    r.updatedAt(),
                    r.lastMessageAt(),
                    r.lastMessageId() == null ? null : previews.get(r.lastMessageId()),
                    r.unread(),
                    muted,
                    muted ? r.mutedUntil() : null,
                    r.myRole(),
                    r.lastSeq(),
                    participants.getOrDefault(r.conversationId(), List.of()),
                    r.participantCount(),
                    r.e2ee(),
                    r.messageTtlSeconds(),
                    r.request()));
        }
        return out;
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
