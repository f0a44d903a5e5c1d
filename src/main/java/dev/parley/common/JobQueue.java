package dev.parley.common;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import java.time.Instant;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Puts background jobs on the persistent queue (db-scheduler's table) inside the caller's transaction, so a job
 * exists exactly when the change that needs it committed; then wakes this node's scheduler, so the job starts at
 * once instead of at the next poll.
 */
@Component
public class JobQueue {

    private final DataSource dataSource;
    private final ObjectProvider<Task<?>> tasks;
    private final JobScheduler scheduler;
    private volatile SchedulerClient client;

    JobQueue(DataSource dataSource, ObjectProvider<Task<?>> tasks, JobScheduler scheduler) {
        this.dataSource = dataSource;
        this.tasks = tasks;
        this.scheduler = scheduler;
    }

    /**
     * Queues {@code instance} to run as soon as a node is free, unless it is queued already. "Now" is the
     * scheduler's own (system) time, which is what it compares execution times with; the application's
     * {@code Clock} may be set elsewhere (tests move it by months).
     */
    public <T> void enqueue(TaskInstance<T> instance) {
        client().scheduleIfNotExists(instance, Instant.now());
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    wake();
                }
            });
        } else {
            wake();
        }
    }

    private void wake() {
        scheduler.wake();
    }

    /** Built on first use: the tasks are beans of the features that also use this queue. */
    private SchedulerClient client() {
        SchedulerClient existing = client;
        if (existing == null) {
            synchronized (this) {
                if (client == null) {
                    client = SchedulerClient.Builder.create(
                                    new TransactionAwareDataSourceProxy(dataSource),
                                    tasks.orderedStream().toList())
                            .build();
                }
                existing = client;
            }
        }
        return existing;
    }
}
