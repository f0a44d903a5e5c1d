/**
 * Real time: what reaches a client without asking, in three parts that depend one way, each only on those below
 * it (checked by ArchitectureTest):
 * <pre>
 *   sync      catch-up: the events log, GET /sync (and its long poll), GET /events (Server-Sent Events)
 *     │ ▼
 *   delivery  the features' events, after commit, as frames to every device of their audience (this node's
 *     │       sockets, and the other nodes' through Redis)
 *     ▼
 *   gateway   the WebSocket at /api/v1/ws: handshake checks, one connection per socket, client frames to services
 * </pre>
 * Features never depend on realtime: they publish events, which delivery and sync listen to, and the gateway and
 * sync call their services as REST does. The device a socket frame came from travels on the events it causes
 * ({@code origin}), never with the thread.
 */
package dev.parley.realtime;
