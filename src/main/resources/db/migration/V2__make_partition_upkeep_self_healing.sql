-- Partition upkeep that cannot get stuck. Creating a month's partition fails when rows of that month already sit
-- in messages_default (upkeep was down for months, or a clock ran far ahead); that used to abort the whole call,
-- so no later month was created either. Now each month is handled on its own, and such rows are moved into the
-- new month's partition: the table is created standalone, filled from the default partition, then attached.

CREATE OR REPLACE FUNCTION parley_ensure_message_partitions(months_ahead integer) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    first_month timestamp := date_trunc('month', now() AT TIME ZONE 'UTC');
    month_start timestamp;
    partition_name text;
    lower_bound text;
    upper_bound text;
    created integer := 0;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('parley_ensure_message_partitions'));
    FOR i IN 0..months_ahead LOOP
        month_start := first_month + make_interval(months => i);
        partition_name := 'messages_' || to_char(month_start, 'YYYY_MM');
        lower_bound := to_char(month_start, 'YYYY-MM-DD') || ' 00:00:00+00';
        upper_bound := to_char(month_start + interval '1 month', 'YYYY-MM-DD') || ' 00:00:00+00';
        CONTINUE WHEN to_regclass(partition_name) IS NOT NULL;
        IF EXISTS (SELECT 1 FROM messages_default
                   WHERE created_at >= lower_bound::timestamptz AND created_at < upper_bound::timestamptz) THEN
            EXECUTE format('CREATE TABLE %I (LIKE messages INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', partition_name);
            EXECUTE format('WITH moved AS (DELETE FROM messages_default WHERE created_at >= %L AND created_at < %L '
                           'RETURNING *) INSERT INTO %I SELECT * FROM moved',
                           lower_bound, upper_bound, partition_name);
            EXECUTE format('ALTER TABLE messages ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)',
                           partition_name, lower_bound, upper_bound);
            RAISE WARNING 'moved rows of % out of messages_default into partition %', month_start, partition_name;
        ELSE
            EXECUTE format('CREATE TABLE %I PARTITION OF messages FOR VALUES FROM (%L) TO (%L)',
                           partition_name, lower_bound, upper_bound);
        END IF;
        created := created + 1;
    END LOOP;
    RETURN created;
END;
$$;

-- Idempotency keys are kept for a retention period (parley.messages.idempotency-retention) and then purged.
CREATE INDEX idx_message_idempotency_created_at ON message_idempotency (created_at);
