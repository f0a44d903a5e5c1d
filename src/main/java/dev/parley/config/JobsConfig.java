package dev.parley.config;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.OnStartup;
import com.github.kagkarlsson.scheduler.task.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The background-job scheduler (db-scheduler): every node runs one, and they share the queue in PostgreSQL, so a
 * job runs once, on whichever node picks it, and survives restarts. It starts after the application is up (the
 * schema is migrated by then) and stops before the database pool closes.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(JobsConfig.JobProperties.class)
class JobsConfig {

    /** {@code parley.jobs.*}: worker threads per node and how often a node looks for due jobs. */
    @ConfigurationProperties("parley.jobs")
    record JobProperties(@DefaultValue("2") int threads, @DefaultValue("5s") Duration pollingInterval) {
    }

    @Bean
    Scheduler scheduler(DataSource dataSource, List<Task<?>> tasks, JobProperties properties) {
        List<Task<?>> known = new ArrayList<>();
        List<OnStartupTask> recurring = new ArrayList<>();
        for (Task<?> task : tasks) {
            if (task instanceof OnStartup) {
                recurring.add(new OnStartupTask(task));
            } else {
                known.add(task);
            }
        }
        var builder = Scheduler.create(dataSource, known)
                .threads(properties.threads())
                .pollingInterval(properties.pollingInterval())
                .enableImmediateExecution()
                .shutdownMaxWait(Duration.ofSeconds(10));
        for (OnStartupTask task : recurring) {
            task.register(builder);
        }
        return builder.build();
    }

    /** Recurring tasks schedule themselves when the scheduler starts. */
    private record OnStartupTask(Task<?> task) {
        @SuppressWarnings({"unchecked", "rawtypes"})
        void register(com.github.kagkarlsson.scheduler.SchedulerBuilder builder) {
            builder.startTasks((List) List.of(task));
        }
    }

    @Bean
    SmartLifecycle schedulerLifecycle(Scheduler scheduler) {
        return new SmartLifecycle() {
            private volatile boolean running;

            @Override
            public void start() {
                scheduler.start();
                running = true;
            }

            @Override
            public void stop() {
                scheduler.stop();
                running = false;
            }

            @Override
            public boolean isRunning() {
                return running;
            }
        };
    }
}
