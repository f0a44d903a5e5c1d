package dev.parley.auth;

import dev.parley.audit.AuditAction;
import dev.parley.audit.AuditEntry;
import dev.parley.audit.AuditLog;
import dev.parley.audit.AuditTargetType;
import dev.parley.common.AuthUser;
import dev.parley.common.ErrorCode;
import dev.parley.common.ParleyException;
import dev.parley.user.AccountStanding;
import dev.parley.user.UserService;
import dev.parley.user.UserView;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/** Sign-up, sign-in, refresh-token rotation, logout and password change: Parley's own accounts. */
@Service
public class AuthService {

    private static final Logger log = LoggerFactory.getLogger(AuthService.class);

    private final UserService users;
    private final TokenPairs pairs;
    private final SessionService sessions;
    private final LoginLimits limits;
    private final BCryptPasswordEncoder passwords;
    private final AuthProperties properties;
    private final TransactionTemplate transaction;
    private final AuditLog audit;
    private final Clock clock;
    /** Compared against when the username is unknown, so a miss costs as long as a wrong password. */
    private final String decoyHash;

    AuthService(
            UserService users,
            TokenPairs pairs,
            SessionService sessions,
            LoginLimits limits,
            AuthProperties properties,
            PlatformTransactionManager transactions,
            AuditLog audit,
            Clock clock) {
        this.users = users;
        this.pairs = pairs;
        this.sessions = sessions;
        this.limits = limits;
        this.passwords = new BCryptPasswordEncoder(properties.bcryptStrength());
        this.properties = properties;
        this.transaction = new TransactionTemplate(transactions);
        this.audit = audit;
        this.clock = clock;
        this.decoyHash = passwords.encode("decoy-password-for-timing");
    }

    /**
     * Throws FORBIDDEN when local accounts are off, RATE_LIMIT_EXCEEDED after too many registrations from the
     * client's address, CONFLICT when the username is taken.
     */
    @Transactional
    public TokenResponse register(AuthRequests.Register request, ClientOrigin origin) {
        requireLocalAccounts();
        limits.registration(origin);
        UserView user = users.register(request.username(), request.displayName(), passwords.encode(request.password()));
        log.info("user_registered user_id={}", user.userId());
        return pairs.issue(user, sessions.start(user.userId(), origin));
    }

    /**
     * Throws FORBIDDEN when local accounts are off; UNAUTHORIZED for an unknown or deleted user or a wrong password
     * (without saying which); ACCOUNT_SUSPENDED (with {@code details.until}) for the right password of a suspended
     * account; RATE_LIMIT_EXCEEDED (see {@link LoginLimits#login}), before the password is checked.
     */
    public TokenResponse login(AuthRequests.Login request, ClientOrigin origin) {
        requireLocalAccounts();
        Optional<UserService.PasswordCredentials> credentials =
                users.credentials(request.username()).filter(c -> !c.standing().deleted());
        limits.login(
                request.username(), credentials.map(c -> c.standing().userId()).orElse(null), origin);
        boolean matches = passwords.matches(
                request.password(),
                credentials.map(UserService.PasswordCredentials::passwordHash).orElse(decoyHash));
        if (credentials.isEmpty() || !matches) {
            loginFailed(
                    request.username(),
                    credentials.map(c -> c.standing().userId()).orElse(null),
                    origin,
                    "bad_credentials");
            throw new ParleyException(ErrorCode.UNAUTHORIZED, "Wrong username or password");
        }
        AccountStanding standing = credentials.get().standing();
        if (standing.suspendedAt(clock.instant())) {
            loginFailed(request.username(), standing.userId(), origin, "account_suspended");
        }
        requireNotSuspended(standing);
        return transaction.execute(status -> {
            UUID session = sessions.start(standing.userId(), origin);
            TokenResponse issued = pairs.issue(users.get(standing.userId()), session);
            audit.record(AuditEntry.by(standing.userId(), AuditAction.LOGIN)
                    .target(AuditTargetType.SESSION, session)
                    .ip(origin.address()));
            return issued;
        });
    }

    /**
     * One entry per failed login, flood-limited per username and address (see AuditLog#recordThrottled). The
     * username is recorded as typed (at most 64 characters, as the request allows), never the password.
     */
    private void loginFailed(String username, UUID userId, ClientOrigin origin, String reason) {
        AuditEntry entry = AuditEntry.of(AuditAction.LOGIN_FAILED)
                .ip(origin.address())
                .detail("username", username)
                .detail("reason", reason);
        audit.recordThrottled(
                userId == null ? entry : entry.target(AuditTargetType.USER, userId),
                username.toLowerCase(Locale.ROOT) + "@" + origin.addressOrEmpty());
    }

    /**
     * Rotates a refresh token: the presented one stops working and a new pair is issued. Presenting a token that
     * was already used revokes its session at once, access tokens included (it was probably stolen). Throws
     * FORBIDDEN when local accounts are off, ACCOUNT_SUSPENDED, UNAUTHORIZED.
     */
    @Transactional(noRollbackFor = ParleyException.class)
    public TokenResponse refresh(AuthRequests.Refresh request, ClientOrigin origin) {
        requireLocalAccounts();
        RefreshTokenRepository.Spent found =
                pairs.find(request.refreshToken()).orElseThrow(AuthService::invalidRefresh);
        // Before the token is spent: refused now, it must still work once the suspension is over.
        AccountStanding standing = users.standing(found.userId());
        if (standing.deleted()) {
            throw invalidRefresh();
        }
        requireNotSuspended(standing);
        RefreshTokenRepository.Spent spent =
                pairs.spend(request.refreshToken()).orElseThrow(AuthService::invalidRefresh);
        if (spent.alreadyUsed()) {
            sessions.revokeSession(spent.familyId(), "refresh_token_reused");
            audit.record(AuditEntry.by(spent.userId(), AuditAction.REFRESH_TOKEN_REUSED)
                    .target(AuditTargetType.SESSION, spent.familyId())
                    .ip(origin.address()));
            log.warn(
                    "refresh_token_reused user_id={} session_id={}: session revoked", spent.userId(), spent.familyId());
            throw invalidRefresh();
        }
        if (spent.expired() || !sessions.refreshed(spent.familyId())) {
            throw invalidRefresh();
        }
        return pairs.issue(users.get(spent.userId()), spent.familyId());
    }

    /**
     * Ends the session of a refresh token of the caller's; a token that is not theirs, or unknown, changes nothing
     * (and the answer does not say so).
     */
    @Transactional
    public void logout(AuthUser caller, AuthRequests.Refresh request, ClientOrigin origin) {
        pairs.find(request.refreshToken())
                .filter(token -> token.userId().equals(caller.id()))
                .ifPresent(token -> {
                    sessions.revokeSession(token.familyId(), "logout");
                    audit.record(AuditEntry.by(caller.id(), AuditAction.LOGOUT)
                            .target(AuditTargetType.SESSION, token.familyId())
                            .ip(origin.address()));
                });
    }

    @Transactional
    public void logoutEverywhere(AuthUser caller, ClientOrigin origin) {
        sessions.revokeAllSessions(caller.id(), "logout_all");
        audit.record(AuditEntry.by(caller.id(), AuditAction.LOGOUT_ALL)
                .target(AuditTargetType.USER, caller.id())
                .ip(origin.address()));
    }

    /**
     * Sets a new password and ends every other session. Throws FORBIDDEN when local accounts are off, when the
     * account has no password (a host app's user) or the current password is wrong ({@code details.field}
     * {@code current_password}); RATE_LIMIT_EXCEEDED after as many wrong tries as logins allow.
     */
    public void changePassword(AuthUser caller, AuthRequests.ChangePassword request, ClientOrigin origin) {
        requireLocalAccounts();
        limits.passwordCheck(caller.id());
        UserService.PasswordCredentials credentials = users.credentials(caller.id())
                .orElseThrow(() -> ParleyException.forbidden(
                        "This account has no password; it signs in through " + "the host app"));
        if (!passwords.matches(request.currentPassword(), credentials.passwordHash())) {
            throw new ParleyException(
                    ErrorCode.FORBIDDEN, "The current password is wrong", Map.of("field", "current_password"));
        }
        String hash = passwords.encode(request.newPassword());
        transaction.executeWithoutResult(status -> {
            if (!users.changePasswordHash(caller.id(), hash)) {
                throw ParleyException.forbidden("This account has no password");
            }
            sessions.revokeAllBut(caller.id(), caller.sessionId(), "password_changed");
            audit.record(AuditEntry.by(caller.id(), AuditAction.PASSWORD_CHANGED)
                    .target(AuditTargetType.USER, caller.id())
                    .ip(origin.address()));
        });
        log.info("password_changed user_id={}", caller.id());
    }

    private void requireLocalAccounts() {
        if (!properties.localAccountsEnabled()) {
            throw ParleyException.forbidden("Local accounts are turned off on this server: sign in through the "
                    + "host app and use its tokens");
        }
    }

    private void requireNotSuspended(AccountStanding standing) {
        if (standing.suspendedAt(clock.instant())) {
            throw new ParleyException(
                    ErrorCode.ACCOUNT_SUSPENDED,
                    "This account is suspended",
                    Map.of("until", standing.suspendedUntil()));
        }
    }

    private static ParleyException invalidRefresh() {
        return new ParleyException(ErrorCode.UNAUTHORIZED, "Refresh token is invalid, expired or already used");
    }
}
