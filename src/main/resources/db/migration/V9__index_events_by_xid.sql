-- Each node asks once a second which conversations have events that became readable since its last look: the
-- events whose transaction id lies between the horizon it saw then and the horizon now (realtime/SyncNotifier),
-- so that waiting long polls and event streams are woken by one query per node instead of each polling the log.
-- That range needs an index of its own; xids only grow, so rows are appended at its right edge, like the primary
-- key's.
CREATE INDEX idx_events_xid ON events (xid);
