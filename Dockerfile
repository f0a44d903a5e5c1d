# syntax=docker/dockerfile:1
# Parley's container image for those who build with Docker (or any OCI builder that pulls base images):
#
#   docker build -t parley --build-arg COMMIT=$(git describe --always --dirty --abbrev=12 --exclude='*') .
#   docker run -p 8080:8080 -e SPRING_DATASOURCE_URL=jdbc:postgresql://db:5432/parley \
#       -e SPRING_DATASOURCE_USERNAME=parley -e SPRING_DATASOURCE_PASSWORD=... -e PARLEY_AUTH_JWT_SECRET=... parley
#
# Stage 1 builds the -Pserver jar (no embedded PostgreSQL binaries) with the Eclipse Temurin JDK, splits it into
# Spring Boot's layers and links a Java runtime with only the modules Parley uses (deploy/image/java-modules, which
# deploy/build-image.sh checks against jdeps). Stage 2 is debian:bookworm-slim with that runtime and the layers,
# run as the unprivileged user parley (uid 10001). It needs SPRING_DATASOURCE_URL: without it the server stops at
# start-up saying so.
#
# This file was not run where Parley is developed (no Docker daemon, no registry there): the same image is built
# and smoke-tested by deploy/build-image.sh with buildah and podman, from a base made by debootstrap
# (deploy/image/Containerfile has the same runtime stage).
ARG JDK_IMAGE=eclipse-temurin:25-jdk
ARG RUNTIME_IMAGE=debian:bookworm-slim

FROM ${JDK_IMAGE} AS build
WORKDIR /src
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
COPY src/ src/
COPY deploy/image/java-modules deploy/image/java-modules
# No .git in the context: the commit /info shows comes from this argument.
ARG COMMIT=unknown
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -ntp -Pserver -DskipTests -Dparley.commit="${COMMIT}" package \
 && java -Djarmode=tools -jar target/parley-server-*.jar extract --layers --destination /layers \
        --application-filename parley.jar \
 && jlink --add-modules "$(cat deploy/image/java-modules)" --strip-debug --no-man-pages --no-header-files \
        --compress=zip-6 --output /runtime

FROM ${RUNTIME_IMAGE}
RUN groupadd --gid 10001 parley \
 && useradd --uid 10001 --gid parley --home-dir /var/lib/parley --no-create-home --shell /usr/sbin/nologin parley \
 && install -d -o parley -g parley -m 0700 /var/lib/parley
LABEL org.opencontainers.image.title="Parley" \
      org.opencontainers.image.description="Open-source chat backend: direct and group chat over HTTP and WebSocket" \
      org.opencontainers.image.licenses="Apache-2.0"
COPY --from=build /runtime /opt/java/
COPY --from=build /layers/dependencies/ /opt/parley/
COPY --from=build /layers/spring-boot-loader/ /opt/parley/
COPY --from=build /layers/snapshot-dependencies/ /opt/parley/
COPY --from=build /layers/application/ /opt/parley/
ENV PARLEY_DATA_DIR=/var/lib/parley \
    SERVER_PORT=8080 \
    JAVA_HOME=/opt/java
USER 10001:10001
WORKDIR /var/lib/parley
EXPOSE 8080
ENTRYPOINT ["/opt/java/bin/java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-jar", "/opt/parley/parley.jar"]
