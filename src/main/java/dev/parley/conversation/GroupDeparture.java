package dev.parley.conversation;

import dev.parley.membership.MembershipService;
import dev.parley.user.AccountErasure;
import java.util.List;
import java.util.UUID;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * A deleted account leaves every group as a member leaving would: a {@code member_left} system message (under the
 * name "Deleted user", erased before this step), ownership passing on. Direct conversations stay, with the other
 * person's messages; the deleted side's messages become tombstones in the message feature's step.
 */
@Component
@Order(AccountErasure.GROUPS)
class GroupDeparture implements AccountErasure {

    /** Each departure locks its group's members and writes a message or two: a few per transaction. */
    static final int GROUPS_PER_BATCH = 20;

    private final FolderRepository folders;
    private final MembershipService access;
    private final ConversationService service;

    GroupDeparture(FolderRepository folders, MembershipService access, ConversationService service) {
        this.folders = folders;
        this.access = access;
        this.service = service;
    }

    @Override
    public boolean eraseSome(UUID userId, int batch) {
        int limit = Math.min(batch, GROUPS_PER_BATCH);
        List<UUID> groups = folders.activeGroupsOf(userId, limit);
        for (UUID group : groups) {
            service.leaveGroup(access.requireMember(group, userId));
        }
        return groups.size() < limit;
    }
}
