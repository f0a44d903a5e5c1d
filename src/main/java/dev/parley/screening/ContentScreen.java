package dev.parley.screening;

import dev.parley.audit.AuditAction;
import dev.parley.audit.AuditEntry;
import dev.parley.audit.AuditLog;
import dev.parley.audit.AuditTargetType;
import dev.parley.common.ErrorCode;
import dev.parley.common.ParleyException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What moderation says of content before it is stored: the operator's content rules (message text and edits,
 * display names, group names: refused, or masked with {@code ***}), then the pre-send hook (message sends and
 * edits, reactions, attachment completion: allow, reject, or modify the content). A refusal is 422
 * {@code CONTENT_REJECTED} with {@code details.reason} ({@code content_rule}, the hook's reason or {@code hook},
 * {@code moderation_unavailable} when the hook failed under the reject policy) and is audited as
 * {@code moderation_refused} (which rule or source, never the content), flood-limited per user.
 */
@Service
public class ContentScreen {

    private static final Logger log = LoggerFactory.getLogger(ContentScreen.class);
    static final int MAX_RULES = 100_000;
    private static final long MAX_FILE = 16L * 1024 * 1024;

    private final RuleSet rules;
    private final ModerationHook hook;
    private final AuditLog audit;
    private final ScreeningMetrics metrics;
    private final TransactionTemplate ownTransaction;

    ContentScreen(
            ScreeningProperties properties,
            ModerationHook hook,
            AuditLog audit,
            ScreeningMetrics metrics,
            PlatformTransactionManager transactions) {
        this.rules = new RuleSet(load(properties));
        this.hook = hook;
        this.audit = audit;
        this.metrics = metrics;
        // A refusal's entry must outlive the refused act's transaction, which rolls back.
        this.ownTransaction = new TransactionTemplate(transactions);
        ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        log.info("content_rules_loaded count={} hook={}", rules.size(), hook.enabled());
    }

    /** Whether a pre-send hook is configured (callers check access before it would see content). */
    public boolean hookEnabled() {
        return hook.enabled();
    }

    /** How many content rules are loaded. */
    public int ruleCount() {
        return rules.size();
    }

    /** Text checked by the content rules alone: as given, or masked. Throws CONTENT_REJECTED. */
    public String text(UUID actor, ScreenedField field, String text) {
        RuleSet.Verdict verdict = rules.judge(text);
        if (verdict.rejected()) {
            metrics.decided("rules", "reject");
            refuse(
                    AuditEntry.by(actor, AuditAction.MODERATION_REFUSED)
                            .detail("source", "rules")
                            .detail("field", field.field())
                            .detail("rule", verdict.rejectedBy().number()),
                    actor,
                    "content_rule",
                    field);
        }
        if (verdict.masked() > 0) {
            metrics.decided("rules", "mask");
        }
        return verdict.text();
    }

    /**
     * A message's text (send or edit), by the rules and then the hook; the text to store (masked, or as the hook
     * replaced it). Throws CONTENT_REJECTED.
     */
    public String message(UUID actor, UUID conversationId, String content, boolean edit) {
        String checked = content == null ? null : text(actor, ScreenedField.MESSAGE, content);
        String action = edit ? "message.edit" : "message.send";
        Map<String, Object> body = body(action, actor);
        body.put("conversation_id", conversationId);
        if (checked != null) {
            body.put("content", checked);
        }
        Optional<ModerationHook.Answer> answer = consult(action, body, actor, conversationId);
        return answer.filter(a -> a.decision().equals("modify"))
                .map(ModerationHook.Answer::content)
                .orElse(checked);
    }

    /** A reaction, by the hook. Throws CONTENT_REJECTED. */
    public void reaction(UUID actor, UUID conversationId, String emoji) {
        Map<String, Object> body = body("reaction.add", actor);
        body.put("conversation_id", conversationId);
        body.put("emoji", emoji);
        consult("reaction.add", body, actor, conversationId);
    }

    /** An upload being completed, by the hook. Throws CONTENT_REJECTED. */
    public void attachment(UUID actor, UUID attachmentId) {
        Map<String, Object> body = body("attachment.complete", actor);
        body.put("attachment_id", attachmentId);
        consult("attachment.complete", body, actor, null);
    }

    private Optional<ModerationHook.Answer> consult(
            String action, Map<String, Object> body, UUID actor, UUID conversationId) {
        if (!hook.enabled()) {
            return Optional.empty();
        }
        Optional<ModerationHook.Answer> answer = hook.ask(action, body);
        AuditEntry refusal = AuditEntry.by(actor, AuditAction.MODERATION_REFUSED)
                .detail("source", "hook")
                .detail("action", action);
        if (conversationId != null) {
            refusal = refusal.target(AuditTargetType.CONVERSATION, conversationId);
        }
        if (answer.isEmpty()) {
            if (hook.onFailure() == ScreeningProperties.OnFailure.REJECT) {
                metrics.decided("hook", "reject");
                refuse(refusal.detail("hook_failed", true), actor, "moderation_unavailable", null);
            }
            return Optional.empty();
        }
        ModerationHook.Answer decided = answer.get();
        metrics.decided("hook", decided.decision());
        if (decided.decision().equals("reject")) {
            String reason = decided.reason() == null || decided.reason().isBlank() ? "hook" : bounded(decided.reason());
            refuse(refusal.detail("reason", reason), actor, reason, null);
        }
        return answer;
    }

    private void refuse(AuditEntry entry, UUID actor, String reason, ScreenedField field) {
        try {
            ownTransaction.executeWithoutResult(status -> audit.recordThrottled(entry, "moderation@" + actor));
        } catch (RuntimeException e) {
            // The refusal stands; only its record is missing, which the log line says.
            log.warn("moderation_refusal_not_audited user_id={}: {}", actor, e.toString());
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("reason", reason);
        if (field != null) {
            details.put("field", field.field());
        }
        throw new ParleyException(ErrorCode.CONTENT_REJECTED, "Moderation refused this content", details);
    }

    private static Map<String, Object> body(String action, UUID actor) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("action", action);
        body.put("user_id", actor);
        return body;
    }

    private static String bounded(String reason) {
        String clean = reason.replaceAll("\\p{Cntrl}", "").strip();
        return clean.length() <= 200 ? clean : clean.substring(0, 200);
    }

    private static List<ContentRule> load(ScreeningProperties properties) {
        List<String> lines = new ArrayList<>();
        if (properties.rulesFile() != null) {
            try {
                if (Files.size(properties.rulesFile()) > MAX_FILE) {
                    throw new IllegalStateException("parley.moderation.rules-file is over 16 MiB");
                }
                lines.addAll(Files.readAllLines(properties.rulesFile(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException("parley.moderation.rules-file cannot be read", e);
            }
        }
        lines.addAll(properties.rules());
        List<ContentRule> parsed = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            ContentRule rule = ContentRule.parse(i + 1, lines.get(i));
            if (rule != null) {
                parsed.add(rule);
            }
        }
        if (parsed.size() > MAX_RULES) {
            throw new IllegalStateException("at most " + MAX_RULES + " content rules");
        }
        return parsed;
    }
}
