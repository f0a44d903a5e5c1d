/**
 * Wiring, not a feature: the database (the embedded PostgreSQL when {@code spring.datasource.url} is unset, or
 * Spring Boot's DataSource; with {@code parley.datasource.replica.url}, the routing DataSource over it and its
 * streaming replicas, their probe and the read-your-writes marks), the Lettuce client when
 * {@code spring.data.redis.url} is set, the HTTP filters (body limit, client address behind trusted proxies,
 * parameter decoding, request log), CORS, JSON rules, OpenAPI, health groups, metrics, Tomcat's own error pages,
 * and the drain delay that opens a graceful shutdown ({@code common.ShutdownPhases}). Owns {@code parley.http.*},
 * {@code parley.embedded-postgres.*}, {@code parley.health.*}, {@code parley.shutdown.*},
 * {@code parley.datasource.replica.*} and {@code parley.redis.prefix}.
 *
 * <p>May call: any feature ({@code auth}, {@code storage} and {@code common} today). No feature may call it
 * (ArchitectureTest): a feature's settings are its own properties, or common's when shared.
 */
package dev.parley.config;
