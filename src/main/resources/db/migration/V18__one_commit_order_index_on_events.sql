-- Two indexes walked the catch-up log in commit order across conversations, and every send paid for both: the
-- search indexer's partial idx_events_message_changes (xid, event_id) WHERE type IN (message events) (V6), and
-- the sync notifier's idx_events_xid (xid) (V9). One index on (xid, event_id) serves both: the notifier reads a
-- range of xids (a prefix of the key), the indexer reads in (xid, event_id) order after its cursor and skips the
-- few other events (receipts, reactions, membership) as it goes. A send writes one btree entry here, not two.
CREATE INDEX idx_events_xid_event ON events (xid, event_id);
DROP INDEX idx_events_message_changes;
DROP INDEX idx_events_xid;
