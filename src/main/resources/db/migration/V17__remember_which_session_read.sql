-- A read's data-only conversation.read push goes to the reader's other devices, not to the one that read: the
-- log remembers which session caused a receipt event (never sent to clients), and a device which session
-- registered it. Both nullable (a host app's token has no Parley session), so adding them rewrites nothing.
ALTER TABLE events ADD COLUMN origin_session uuid;
ALTER TABLE devices ADD COLUMN session_id uuid;
