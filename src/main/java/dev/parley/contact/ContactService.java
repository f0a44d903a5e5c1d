package dev.parley.contact;

import dev.parley.common.ErrorCode;
import dev.parley.common.ParleyException;
import dev.parley.moderation.RateLimit;
import dev.parley.moderation.RateLimiter;
import dev.parley.user.UserService;
import dev.parley.user.UserView;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Who is whose contact, and what the deployment's policy makes of a stranger. A pair are contacts when both asked
 * (Parley's own accounts), when an admin pushed the pair, or when the host app's lookup says so. The policy is
 * asked here alone ({@link #admit}), by whoever starts a conversation or puts someone into a group.
 */
@Service
public class ContactService {

    public static final int DEFAULT_PAGE = 50;
    public static final int MAX_PAGE = 100;
    public static final int MAX_BULK_PAIRS = 1000;

    /** One contact or request as listed; {@code status} as the caller sees the pair. */
    public record ContactView(UserView user, ContactStatus status, Instant since) {}

    public record ContactPage(
            List<ContactView> contacts,
            boolean hasMore,
            @Nullable String nextCursor) {}

    private final ContactRepository contacts;
    private final HostContacts host;
    private final UserService users;
    private final ContactPolicy policy;
    private final RateLimiter limits;
    private final Clock clock;

    ContactService(
            ContactRepository contacts,
            HostContacts host,
            UserService users,
            ContactProperties properties,
            RateLimiter limits,
            Clock clock) {
        this.contacts = contacts;
        this.host = host;
        this.users = users;
        this.policy = properties.policy();
        this.limits = limits;
        this.clock = clock;
    }

    public ContactPolicy policy() {
        return policy;
    }

    /**
     * Before {@code caller} starts a direct conversation with, or puts into a group, each of {@code others}: under
     * {@code open} nobody waits; under {@code requests} the returned users (those who are not the caller's
     * contacts) get a request instead of a membership; under {@code contacts} a non-contact throws NOT_A_CONTACT
     * ({@code details.user_ids} names them, as the caller already knows them). Under {@code requests}, each user
     * who will get a request counts against the caller's hourly allowance of requests to strangers (throws
     * RATE_LIMIT_EXCEEDED, nobody admitted); the caller passes only users who would be new to the conversation.
     */
    public Set<UUID> admit(UUID caller, Collection<UUID> others) {
        if (policy == ContactPolicy.OPEN || others.isEmpty()) {
            return Set.of();
        }
        Set<UUID> strangers = nonContacts(caller, others);
        if (policy == ContactPolicy.CONTACTS && !strangers.isEmpty()) {
            throw new ParleyException(
                    ErrorCode.NOT_A_CONTACT,
                    "Only contacts can be put into a conversation",
                    Map.of(
                            "user_ids",
                            strangers.stream().map(UUID::toString).sorted().toList()));
        }
        if (!strangers.isEmpty()) {
            limits.acquire(caller, RateLimit.CONTACT_REQUEST, strangers.size());
        }
        return strangers;
    }

    /** Whether the two are contacts, by any source. */
    public boolean areContacts(UUID a, UUID b) {
        return nonContacts(a, List.of(b)).isEmpty();
    }

    private Set<UUID> nonContacts(UUID caller, Collection<UUID> others) {
        Set<UUID> strangers = new LinkedHashSet<>(others);
        strangers.remove(caller);
        strangers.removeAll(contacts.contactsAmong(caller, strangers));
        if (strangers.isEmpty() || !host.enabled()) {
            return strangers;
        }
        // The host is asked for each remaining user at once, so a group's creation waits one timeout at most.
        Set<UUID> named = new HashSet<>(strangers);
        named.add(caller);
        Map<UUID, String> hostIds = users.hostIds(named);
        String me = hostIds.getOrDefault(caller, caller.toString());
        Map<UUID, Future<Boolean>> answers = new LinkedHashMap<>();
        try (ExecutorService lookups = Executors.newVirtualThreadPerTaskExecutor()) {
            for (UUID other : strangers) {
                String them = hostIds.getOrDefault(other, other.toString());
                answers.put(other, lookups.submit(() -> host.areContacts(caller, other, me, them)));
            }
        }
        Set<UUID> out = new LinkedHashSet<>();
        answers.forEach((other, answer) -> {
            if (!answer.resultNow()) {
                out.add(other);
            }
        });
        return out;
    }

    /**
     * {@code POST /users/{id}/contact}: a request to {@code other}, or the acceptance of theirs; the pair's status
     * after. Throws VALIDATION_FAILED (oneself), USER_NOT_FOUND, USER_BLOCKED, RATE_LIMIT_EXCEEDED (a new request
     * beyond the hourly allowance of requests to strangers).
     */
    @Transactional
    public ContactView request(UUID caller, UUID other) {
        if (caller.equals(other)) {
            throw ParleyException.validation("user_id", "You cannot be your own contact");
        }
        UserView user = users.get(other);
        if (users.eitherBlocks(caller, other)) {
            throw new ParleyException(ErrorCode.USER_BLOCKED, "You cannot ask this user to be a contact");
        }
        if (contacts.status(caller, other) == ContactStatus.NONE) {
            limits.acquire(caller, RateLimit.CONTACT_REQUEST);
        }
        ContactStatus status = contacts.request(caller, other, now());
        return new ContactView(user, status, now());
    }

    /** {@code DELETE /users/{id}/contact}: ends a contact, withdraws or refuses a request. Throws USER_NOT_FOUND. */
    @Transactional
    public void remove(UUID caller, UUID other) {
        users.requireExists(other);
        contacts.remove(caller, other);
    }

    /** The caller's contacts or requests of one status. Throws VALIDATION_FAILED. */
    public ContactPage list(UUID caller, String status, String cursor, Integer limit) {
        ContactStatus wanted;
        try {
            wanted = ContactStatus.valueOf(status == null ? "ACCEPTED" : status.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            wanted = ContactStatus.NONE;
        }
        if (wanted == ContactStatus.NONE) {
            throw ParleyException.validation("status", "status must be accepted, incoming or outgoing");
        }
        int size = limit == null ? DEFAULT_PAGE : limit;
        if (size < 1 || size > MAX_PAGE) {
            throw ParleyException.validation("limit", "limit must be between 1 and " + MAX_PAGE);
        }
        UUID after;
        try {
            after = cursor == null || cursor.isBlank() ? null : UUID.fromString(cursor);
        } catch (IllegalArgumentException e) {
            throw ParleyException.validation("cursor", "cursor must be a next_cursor");
        }
        List<ContactRepository.Entry> rows = contacts.list(caller, wanted, after, size + 1);
        boolean more = rows.size() > size;
        List<ContactRepository.Entry> shown = more ? rows.subList(0, size) : rows;
        return new ContactPage(
                shown.stream()
                        .map(e -> new ContactView(e.user(), e.status(), e.since()))
                        .toList(),
                more,
                more ? shown.getLast().user().userId().toString() : null);
    }

    /**
     * {@code PUT /admin/contacts}: makes each pair contacts, and ends each pair of {@code remove}; the caller
     * checked the admin role. Throws VALIDATION_FAILED (a pair that is not two different users, too many pairs),
     * USER_NOT_FOUND.
     */
    @Transactional
    public void bulk(List<List<UUID>> pairs, List<List<UUID>> remove) {
        List<UUID[]> add = checked("pairs", pairs);
        List<UUID[]> drop = checked("remove", remove);
        if (add.size() + drop.size() > MAX_BULK_PAIRS) {
            throw ParleyException.validation("pairs", "At most " + MAX_BULK_PAIRS + " pairs per call");
        }
        Set<UUID> named = new HashSet<>();
        add.forEach(p -> named.addAll(List.of(p)));
        Map<UUID, UserView> found = users.getAll(named);
        if (found.size() != named.size()) {
            List<String> missing = named.stream()
                    .filter(id -> !found.containsKey(id))
                    .map(UUID::toString)
                    .sorted()
                    .toList();
            throw new ParleyException(
                    ErrorCode.USER_NOT_FOUND, "Unknown users in pairs", Map.of("field", "pairs", "user_ids", missing));
        }
        contacts.removePairs(drop);
        contacts.addPairs(add, now());
    }

    private static List<UUID[]> checked(String field, List<List<UUID>> pairs) {
        List<UUID[]> out = new ArrayList<>();
        if (pairs == null) {
            return out;
        }
        if (pairs.size() > MAX_BULK_PAIRS) {
            throw ParleyException.validation(field, "At most " + MAX_BULK_PAIRS + " pairs per call");
        }
        for (List<UUID> pair : pairs) {
            if (pair == null
                    || pair.size() != 2
                    || pair.contains(null)
                    || pair.get(0).equals(pair.get(1))) {
                throw ParleyException.validation(field, "Each pair is two different user ids");
            }
            out.add(new UUID[] {pair.get(0), pair.get(1)});
        }
        return out;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
