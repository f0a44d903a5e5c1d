package dev.parley.common;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerBuilder;
import com.github.kagkarlsson.scheduler.task.OnStartup;
import com.github.kagkarlsson.scheduler.task.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * This node's background-job scheduler (db-scheduler). Every node runs one and they share the queue in
 * PostgreSQL, so a job runs once, on whichever node picks it, and survives restarts. It starts after the
 * application is up (the schema is migrated by then) and stops before the database pool closes. A db-scheduler
 * cannot be started again once stopped, so every start builds a fresh one.
 */
@Component
public class JobScheduler implements SmartLifecycle {

    /** {@code parley.jobs.*}: worker threads per node and how often a node looks for due jobs. */
    @ConfigurationProperties("parley.jobs")
    public record JobProperties(
            @DefaultValue("2") int threads,
            @DefaultValue("5s") Duration pollingInterval) {}

    private final DataSource dataSource;
    private final ObjectProvider<Task<?>> tasks;
    private final JobProperties properties;
    private volatile Scheduler scheduler;

    JobScheduler(DataSource dataSource, ObjectProvider<Task<?>> tasks, JobProperties properties) {
        this.dataSource = dataSource;
        this.tasks = tasks;
        this.properties = properties;
    }

    @Override
    public synchronized void start() {
        if (scheduler != null) {
            return;
        }
        List<Task<?>> known = new ArrayList<>();
        List<Task<?>> recurring = new ArrayList<>();
        tasks.orderedStream().forEach(task -> (task instanceof OnStartup ? recurring : known).add(task));
        SchedulerBuilder builder = Scheduler.create(dataSource, known)
                .threads(properties.threads())
                .pollingInterval(properties.pollingInterval())
                .enableImmediateExecution()
                .shutdownMaxWait(Duration.ofSeconds(10));
        startTasks(builder, recurring);
        Scheduler fresh = builder.build();
        fresh.start();
        scheduler = fresh;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void startTasks(SchedulerBuilder builder, List<Task<?>> recurring) {
        // Recurring tasks schedule themselves when the scheduler starts.
        if (!recurring.isEmpty()) {
            builder.startTasks((List) recurring);
        }
    }

    @Override
    public synchronized void stop() {
        Scheduler running = scheduler;
        scheduler = null;
        if (running != null) {
            running.stop();
        }
    }

    @Override
    public boolean isRunning() {
        return scheduler != null;
    }

    /** Looks for due jobs now rather than at the next poll (a job was just queued on this node). */
    void wake() {
        Scheduler running = scheduler;
        if (running != null) {
            running.triggerCheckForDueExecutions();
        }
    }

    /** Stops picking jobs until {@link #resume()}; jobs already running finish. For operations and tests. */
    public void pause() {
        Scheduler running = scheduler;
        if (running != null) {
            running.pause();
        }
    }

    public void resume() {
        Scheduler running = scheduler;
        if (running != null) {
            running.resume();
        }
    }
}
