package dev.parley.audit;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.Schedules;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The retention purge as a recurring job, so db-scheduler runs it on one node at a time. */
@Configuration(proxyBeanMethods = false)
class AuditConfig {

    static final String RETENTION = "audit-retention";

    @Bean
    RecurringTask<Void> auditRetentionTask(AuditRetention retention, AuditProperties properties) {
        return Tasks.recurring(RETENTION, Schedules.fixedDelay(properties.purgeInterval()))
                .execute((instance, context) -> retention.purge());
    }
}
