package dev.parley.auth;

import dev.parley.audit.AuditAction;
import dev.parley.audit.AuditEntry;
import dev.parley.audit.AuditLog;
import dev.parley.audit.AuditTargetType;
import dev.parley.common.AuthUser;
import dev.parley.common.ErrorCode;
import dev.parley.common.ParleyException;
import dev.parley.user.AccountDeletions;
import dev.parley.user.UserService;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code DELETE /users/me}: the caller's account ends at once. In one transaction the account is marked deleted and
 * its profile erased ({@link AccountDeletions#request}), every session revoked (REST answers 401 and sockets close
 * with 4003 on every node as soon as it commits), and the act audited; the erasure of the rest runs in the
 * background.
 */
@Service
class AccountDeletionService {

    private static final Logger log = LoggerFactory.getLogger(AccountDeletionService.class);

    private final UserService users;
    private final AccountDeletions deletions;
    private final SessionService sessions;
    private final LoginLimits limits;
    private final AuditLog audit;
    private final TransactionTemplate transaction;
    private final BCryptPasswordEncoder passwords;

    AccountDeletionService(
            UserService users,
            AccountDeletions deletions,
            SessionService sessions,
            LoginLimits limits,
            AuditLog audit,
            PlatformTransactionManager transactions,
            AuthProperties properties) {
        this.users = users;
        this.deletions = deletions;
        this.sessions = sessions;
        this.limits = limits;
        this.audit = audit;
        this.transaction = new TransactionTemplate(transactions);
        this.passwords = new BCryptPasswordEncoder(properties.bcryptStrength());
    }

    /**
     * Deletes the caller's account. A password account must confirm with its password; a host-app user (no
     * password) needs none. Throws VALIDATION_FAILED (password missing), FORBIDDEN (wrong password),
     * RATE_LIMIT_EXCEEDED (as many wrong tries as logins allow).
     */
    void delete(AuthUser caller, AuthRequests.DeleteAccount request, ClientOrigin origin) {
        Optional<UserService.PasswordCredentials> credentials = users.credentials(caller.id());
        if (credentials.isPresent()) {
            String password = request == null ? null : request.password();
            if (password == null) {
                throw ParleyException.validation("password", "password is required to delete the account");
            }
            limits.passwordCheck(caller.id());
            if (!passwords.matches(password, credentials.get().passwordHash())) {
                throw new ParleyException(ErrorCode.FORBIDDEN, "The password is wrong", Map.of("field", "password"));
            }
        }
        transaction.executeWithoutResult(status -> {
            deletions.request(caller.id());
            sessions.revokeUser(caller.id(), "account_deleted");
            audit.record(AuditEntry.by(caller.id(), AuditAction.ACCOUNT_DELETED)
                    .target(AuditTargetType.USER, caller.id())
                    .ip(origin.address()));
        });
        log.info("account_deleted user_id={}", caller.id());
    }
}
