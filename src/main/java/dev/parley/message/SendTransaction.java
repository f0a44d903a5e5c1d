package dev.parley.message;

import dev.parley.attachment.AttachmentService;
import dev.parley.common.ErrorCode;
import dev.parley.common.ParleyException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Where a send's transaction begins and ends, for every kind of user message: the conversations' rows are locked,
 * the messages stored and logged, and (for an image) the attachment claimed, all in one commit. Nothing above or
 * below this class opens or joins a send's transaction, so a send can be read as lock, store, claim, commit.
 *
 * <p>A batch of text messages is one round trip to the database: its two statements (lock, store: see
 * {@link MessageRepository#insertBatch}) go together with a single Sync on a connection in autocommit mode, and
 * PostgreSQL runs everything up to a Sync as one implicit transaction, committed at the Sync and rolled back whole
 * if either statement fails (the extended query protocol's rule). A Spring transaction would add a round trip for
 * its COMMIT, and the conversation's row lock would be held across it; on a busy conversation that lock is what
 * every other send to it waits for.
 */
@Component
class SendTransaction {

    private static final String TAKEN = "This attachment was sent already; upload it again";

    private final MessageRepository messages;
    private final AttachmentService attachments;
    private final TransactionTemplate transactions;

    /** Runs outside any Spring transaction (suspending one, should a caller have it): the statement pair is its own. */
    private final TransactionTemplate ownImplicit;

    SendTransaction(MessageRepository messages, AttachmentService attachments, TransactionTemplate transactions) {
        this.messages = messages;
        this.attachments = attachments;
        this.transactions = transactions;
        this.ownImplicit = new TransactionTemplate(transactions.getTransactionManager());
        this.ownImplicit.setPropagationBehavior(TransactionDefinition.PROPAGATION_NOT_SUPPORTED);
    }

    /**
     * Stores a batch of user messages (see {@link MessageRepository#insertBatch}) in one transaction, the
     * database's implicit one (above): what was stored, by message id; a missing message was refused.
     */
    Map<UUID, MessageRepository.Stored> store(List<MessageRepository.NewMessage> batch) {
        return ownImplicit.execute(status -> messages.insertBatch(batch));
    }

    /**
     * Stores an image message and claims its attachment in one transaction, so that a refused send leaves the
     * attachment free and two sends racing for one attachment store one message. Empty when the message was
     * refused (the caller finds out why). Throws CONFLICT (another send has the attachment), or the attachment's
     * own error when it is no longer sendable (ATTACHMENT_NOT_FOUND, INVALID_ATTACHMENT).
     */
    Optional<MessageRepository.Stored> storeClaiming(MessageRepository.NewMessage message, UUID attachmentId) {
        boolean[] claimLost = {false};
        MessageRepository.Stored stored = transactions.execute(status -> {
            MessageRepository.Stored row =
                    messages.insertBatch(List.of(message)).get(message.messageId());
            if (row != null
                    && !attachments.claim(
                            attachmentId, message.senderId(), message.messageId(), message.conversationId())) {
                // Taken by another send, or refused or removed meanwhile: this message must not exist.
                status.setRollbackOnly();
                claimLost[0] = true;
                return null;
            }
            return row;
        });
        if (claimLost[0]) {
            // The attachment's own error if it is no longer sendable; otherwise another send has it.
            attachments.requireSendable(message.senderId(), attachmentId);
            throw attachmentTaken();
        }
        return Optional.ofNullable(stored);
    }

    /** The error for an attachment that a message has already. */
    static ParleyException attachmentTaken() {
        return new ParleyException(ErrorCode.CONFLICT, TAKEN);
    }
}
