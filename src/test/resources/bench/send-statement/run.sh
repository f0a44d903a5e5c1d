#!/bin/bash
# The send statement before and after the membership views (issue 9 item 1), alternated on one database.
#   src/test/resources/bench/send-statement/run.sh [rounds] [seconds]   (PGHOST/PGUSER as for psql; needs pgbench)
# Creates the database parley_send_statement (dropped first if it exists), applies the migrations, seeds 20,000
# users, 20,000 direct conversations (1 in 20 with a block), 200 groups of 50 and one of 1,000, and 400,000
# messages, then runs each variant for [seconds] in turn, [rounds] times: one client, prepared statements (as the
# JDBC driver uses them), each transaction locking the conversation, sending one message, and rolling back.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
migrations="$here/../../../../main/resources/db/migration"
db=parley_send_statement
rounds=${1:-20}
seconds=${2:-3}
psql -q -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
for f in $(ls "$migrations"/V*.sql | sort -V); do psql -q -d $db -v ON_ERROR_STOP=1 -f "$f" > /dev/null; done
psql -q -d $db -v ON_ERROR_STOP=1 -f "$here/seed.sql"
work=$(mktemp -d)
for v in before after; do
    cp "$here/send-$v.sql" "$work/direct-$v.sql"
    sed -e 's/random(1, 19999)/random(2, 999)/' -e "s/md5('d' || :i)::uuid/md5('g0')::uuid/g" \
        "$here/send-$v.sql" > "$work/group-$v.sql"
done
for r in $(seq 1 "$rounds"); do
    for s in direct-before direct-after group-before group-after; do
        lat=$(pgbench -n -M prepared -T "$seconds" -c 1 -f "$work/$s.sql" $db 2>&1 \
            | sed -n 's/latency average = \([0-9.]*\) ms/\1/p')
        echo "$r $s $(cut -d' ' -f1 /proc/loadavg) $lat"
    done
done
rm -r "$work"
