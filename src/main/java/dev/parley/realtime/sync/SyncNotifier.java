package dev.parley.realtime.sync;

import dev.parley.common.LogThrottle;
import dev.parley.realtime.delivery.Audience;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * One look at the catch-up log per node and {@code parley.sync.fallback-poll}, on behalf of every long poll and
 * event stream waiting here: which conversations have events that became readable since the last look (made on
 * another node, or held back behind an older open transaction until now), and a wake-up for exactly the waiters
 * of their members. So N idle streams cost one small query a second per node instead of N, and waiters read the
 * log only when there is something for them. Changes committed on this node wake their waiters at once anyway
 * ({@link SyncWaiters}).
 *
 * <p>"Readable" follows the horizon rule of {@link SyncRepository}: rows of transactions below the horizon are
 * final, so the events between the last look's horizon and this one's are exactly those that became readable in
 * between. While nobody waits the notifier does nothing (no query); when waiters appear, or after a failed look,
 * it starts from the current horizon and wakes every waiter once, so that nothing that became readable before is
 * left to the waiters' safety recheck.
 */
@Component
class SyncNotifier implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(SyncNotifier.class);

    private final SyncRepository repository;
    private final SyncWaiters waiters;
    private final Audience audience;
    private final Duration interval;
    private final LogThrottle warnings = new LogThrottle(Duration.ofMinutes(1));
    /** The horizon of the last look; null when not looking (nobody waited, or the last look failed). */
    private volatile Long horizon;

    SyncNotifier(SyncRepository repository, SyncWaiters waiters, Audience audience, SyncProperties properties) {
        this.repository = repository;
        this.waiters = waiters;
        this.audience = audience;
        this.interval = properties.fallbackPoll();
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        registrar.addFixedDelayTask(this::look, interval);
    }

    /** One look; runs on one thread at a time (a fixed-delay task). */
    void look() {
        if (waiters.isEmpty()) {
            horizon = null;
            return;
        }
        try {
            Long from = horizon;
            if (from == null) {
                horizon = repository.horizon();
                waiters.wakeAll();
                return;
            }
            SyncRepository.Readable readable = repository.readableSince(from);
            horizon = readable.horizon();
            if (readable.horizon() < from) {
                // The database went back in time (restored, failed over): start over rather than guess.
                waiters.wakeAll();
                return;
            }
            Set<UUID> users = new HashSet<>(readable.users());
            for (UUID conversation : readable.conversations()) {
                users.addAll(audience.of(conversation));
            }
            waiters.wake(users);
        } catch (RuntimeException e) {
            horizon = null;
            if (warnings.due()) {
                log.warn(
                        "sync_notifier_failed: waiting long polls and streams are woken once it works again: {}",
                        e.toString());
            }
        }
    }
}
