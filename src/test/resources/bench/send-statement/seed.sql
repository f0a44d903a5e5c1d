-- 20,000 users; 20,000 direct conversations (user i with i+1..), 1 in 20 blocked; 200 groups of 50; one group of 1,000.
INSERT INTO users (user_id, username, display_name, created_at, updated_at)
SELECT md5('u' || i)::uuid, 'user' || i, 'User ' || i, now(), now() FROM generate_series(1, 20000) i;
INSERT INTO conversations (conversation_id, type, created_by, created_at, updated_at, last_message_at, direct_key)
SELECT md5('d' || i)::uuid, 'direct', md5('u' || i)::uuid, now(), now(), now(), 'k' || i FROM generate_series(1, 20000) i;
INSERT INTO conversation_participants (participant_id, conversation_id, user_id, role, joined_at)
SELECT gen_random_uuid(), md5('d' || i)::uuid, md5('u' || i)::uuid, 'member', now() FROM generate_series(1, 20000) i
UNION ALL
SELECT gen_random_uuid(), md5('d' || i)::uuid, md5('u' || (i % 20000 + 1))::uuid, 'member', now() FROM generate_series(1, 20000) i;
INSERT INTO blocks (blocker_id, blocked_id, created_at)
SELECT md5('u' || (i % 20000 + 1))::uuid, md5('u' || i)::uuid, now() FROM generate_series(20, 20000, 20) i;
-- groups
INSERT INTO conversations (conversation_id, type, name, created_by, created_at, updated_at, last_message_at)
SELECT md5('g' || g)::uuid, 'group', 'G' || g, md5('u' || (g + 1))::uuid, now(), now(), now() FROM generate_series(0, 200) g;
INSERT INTO conversation_participants (participant_id, conversation_id, user_id, role, joined_at, left_at)
SELECT gen_random_uuid(), md5('g' || g)::uuid, md5('u' || (g * 50 + j))::uuid, CASE WHEN j = 1 THEN 'owner' ELSE 'member' END,
       now(), CASE WHEN j % 10 = 0 THEN now() END
FROM generate_series(1, 200) g, generate_series(1, 50) j;
INSERT INTO conversation_participants (participant_id, conversation_id, user_id, role, joined_at)
SELECT gen_random_uuid(), md5('g0')::uuid, md5('u' || j)::uuid, CASE WHEN j = 1 THEN 'owner' ELSE 'member' END, now()
FROM generate_series(1, 1000) j;
INSERT INTO message_receipts (conversation_id, user_id) SELECT conversation_id, user_id FROM conversation_participants;
-- 400,000 messages spread over the directs and groups
INSERT INTO messages (message_id, conversation_id, seq, sender_id, message_type, content, created_at)
SELECT gen_random_uuid(), md5('d' || (i % 20000 + 1))::uuid, i / 20000 + 1, md5('u' || (i % 20000 + 1))::uuid, 'text',
       'message number ' || i, now() - interval '1 hour' + i * interval '1 ms'
FROM generate_series(0, 399999) i;
UPDATE conversations c SET last_seq = 20 WHERE type = 'direct';
VACUUM ANALYZE;
