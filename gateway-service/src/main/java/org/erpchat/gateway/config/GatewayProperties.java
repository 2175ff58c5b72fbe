package org.erpchat.gateway.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.erpchat.events.EventLimits;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Everything the gateway lets an operator tune, under {@code chat.gateway}. Defaults suit a production gateway holding
 * a few thousand connections; docs/gateway-service.md has the table.
 *
 * @param instanceId this process's gateway id, unique per run; empty means host name plus a random suffix; at most
 *     1,000 characters, the longest gateway id a send's origin may carry
 * @param allowedOrigins browser origins allowed to open a WebSocket (same-origin pages always may); {@code *} allows
 *     any origin and is meant for development only
 * @param maxSessionsPerUser a user's sessions on this gateway; opening one more closes one that no longer answers
 *     pings, else their oldest (code 4002), unless one was closed that way within {@code sessionLimitCooldown}: then
 *     the new one is closed
 * @param sessionLimitCooldown after a user's answering session was closed to make room, how long sessions beyond the
 *     cap are refused instead: a client that reconnects after 4002 (the seed's does, five times) must not close the
 *     next tab, which reconnects and closes the next, for as long as the tabs stay open
 * @param messageService where message-service's REST API answers (sync, history, conversations, read markers)
 * @param presenceService where presence-service's REST API answers (presence of contacts on connect)
 * @param auth how clients authenticate
 * @param keepalive pings and dead-connection detection
 * @param inbound limits on what clients send
 * @param outbound per-session send queue and backpressure
 * @param replay how missed messages are fetched on resume
 * @param presence who hears of a user's online status, and how often this gateway reports its sessions
 * @param send how this gateway hands its records (client sends, connection events, typing, dead letters) to Kafka
 * @param compression whether permessage-deflate may be negotiated; when false it is never negotiated, whatever the
 *     client offers
 * @param connectionLogInterval how often the log gets one INFO line summing up the connections opened and closed
 *     (each one is logged at DEBUG)
 * @param acceptQueueSize connections the kernel completes and holds until the gateway accepts them (the listen
 *     backlog, capped by the kernel at {@code net.core.somaxconn}); when it is full, the kernel drops new connection
 *     attempts and each client waits 1 s or more to try again, which is what a reconnect storm runs into
 */
@Validated
@ConfigurationProperties("chat.gateway")
public record GatewayProperties(
        @Size(max = EventLimits.MAX_ORIGIN_ID_LENGTH) @DefaultValue("")
        String instanceId,

        @DefaultValue List<String> allowedOrigins,
        @Min(1) @DefaultValue("10") int maxSessionsPerUser,
        @NotNull @DefaultValue("60s") Duration sessionLimitCooldown,
        @Valid @NotNull @DefaultValue Backend messageService,
        @Valid @NotNull @DefaultValue Backend presenceService,
        @Valid @NotNull @DefaultValue Auth auth,
        @Valid @NotNull @DefaultValue Keepalive keepalive,
        @Valid @NotNull @DefaultValue Inbound inbound,
        @Valid @NotNull @DefaultValue Outbound outbound,
        @Valid @NotNull @DefaultValue Replay replay,
        @Valid @NotNull @DefaultValue Presence presence,
        @Valid @NotNull @DefaultValue Send send,
        @DefaultValue("false") boolean compression,
        @NotNull @DefaultValue("60s") Duration connectionLogInterval,
        @Min(1) @DefaultValue("4096") int acceptQueueSize) {

    /**
     * @param baseUrl the service's base URL, e.g. {@code http://message-service:8081}
     * @param connectTimeout TCP connect timeout
     * @param readTimeout how long one call may take
     */
    public record Backend(
            @NotNull @DefaultValue("http://localhost:8081") URI baseUrl,
            @NotNull @DefaultValue("2s") Duration connectTimeout,
            @NotNull @DefaultValue("10s") Duration readTimeout) {}

    /**
     * @param firstMessageTimeout a client that connected without a token must send {@code auth} within this time
     * @param expiryWarning how long before its token expires a session is sent {@code token_expiring}
     */
    public record Auth(
            @NotNull @DefaultValue("5s") Duration firstMessageTimeout,
            @NotNull @DefaultValue("60s") Duration expiryWarning) {}

    /**
     * @param pingInterval a session that sent nothing for this long is pinged (WebSocket ping frame)
     * @param idleTimeout a session that sent nothing, not even a pong, for this long is closed as dead
     * @param sweepInterval how often sessions are checked for the two above and for stuck writes
     */
    public record Keepalive(
            @NotNull @DefaultValue("25s") Duration pingInterval,
            @NotNull @DefaultValue("70s") Duration idleTimeout,
            @NotNull @DefaultValue("1s") Duration sweepInterval) {}

    /**
     * @param maxFrameSize the largest message a client may send, text or binary (binary ones are answered with an
     *     error); larger ones close the connection with 1009
     * @param ratePerSecond sustained client events per second per connection
     * @param burst client events a connection may send at once before the rate applies
     * @param maxViolations bad or rate-limited frames tolerated per {@code violationWindow}; one more closes with 1008
     * @param violationWindow the window for {@code maxViolations}
     */
    public record Inbound(
            @NotNull @DefaultValue("16KB") DataSize maxFrameSize,
            @Min(1) @DefaultValue("10") int ratePerSecond,
            @Min(1) @DefaultValue("30") int burst,
            @Min(1) @DefaultValue("30") int maxViolations,
            @NotNull @DefaultValue("60s") Duration violationWindow) {}

    /**
     * @param maxMessages events queued for one session before it counts as too slow
     * @param maxBytes bytes queued for one session before it counts as too slow
     * @param dropDisposableAbove queue fill ratio above which typing and presence events are dropped instead of queued
     * @param sendTimeout a write to the socket that has not completed after this long closes the session (4001)
     * @param fanOutThreads threads that write a message to its recipients' sockets, each owning a share of the
     *     sessions; 0 means one per processor
     * @param fanOutBacklog deliveries waiting per fan-out thread before the Kafka listener waits for them (and Kafka
     *     keeps the records)
     */
    public record Outbound(
            @Min(8) @DefaultValue("512") int maxMessages,
            @NotNull @DefaultValue("1MB") DataSize maxBytes,

            @DecimalMin("0.1") @DecimalMax("1.0") @DefaultValue("0.5")
            double dropDisposableAbove,

            @NotNull @DefaultValue("15s") Duration sendTimeout,
            @Min(0) @Max(64) @DefaultValue("0") int fanOutThreads,
            @Min(1) @DefaultValue("1000") int fanOutBacklog) {

        /** The number of fan-out threads, with 0 resolved to the processors this JVM may use. */
        public int resolvedFanOutThreads() {
            return fanOutThreads == 0 ? Runtime.getRuntime().availableProcessors() : fanOutThreads;
        }
    }

    /**
     * @param pageSize messages per page of a resume's sync from message-service (at most its
     *     {@code chat.message.sync.max-limit}); a page larger than the session's queue (in messages or in bytes) is fed
     *     to it in chunks
     * @param gapPageSize messages per page of a conversation's history fetched when a live message reveals a gap (at
     *     most message-service's {@code chat.message.limits.history-max-limit})
     * @param maxBufferedLiveEvents live events held back per session while its replay runs; past this they are
     *     dropped and fetched again from message-service afterwards
     * @param attempts tries per page before replay gives up and the session is closed with 1013 (try again later)
     * @param retryBackoff wait between tries
     * @param maxResumePositions the most conversations a session tracks positions of: those its resumes listed (all
     *     their frames together, and every resume of the connection) and those it received live messages in; at
     *     most 20,000: a replay's later pages list them all in one {@code POST /api/sync}, whose body message-service
     *     takes up to 1 MB
     * @param resumeWindow how long a session whose client declared a resume holds live messages back waiting for it
     *     (again after each frame of a resume in several frames); a client that resumes later receives the missed
     *     messages older than a conversation's first live one after it. Generous on purpose: a gateway busy with a
     *     reconnect storm may read a {@code resume} sent right after {@code connected} seconds later (2 s let one
     *     client in 10,000 see its junction out of order, docs/benchmarks.md §5), and only a client that declares a
     *     resume and never sends it waits the window out
     * @param threads replays running at once on this gateway, each on a thread of its own pool: a replay holds its
     *     thread while its client reads (slowly, perhaps), so replays wait for each other beyond this, never the
     *     gateway's other work (typing, read markers, presence look-ups, closes)
     */
    public record Replay(
            @Min(1) @Max(1000) @DefaultValue("1000") int pageSize,
            @Min(1) @Max(1000) @DefaultValue("200") int gapPageSize,
            @Min(16) @DefaultValue("2000") int maxBufferedLiveEvents,
            @Min(1) @DefaultValue("3") int attempts,
            @NotNull @DefaultValue("500ms") Duration retryBackoff,
            @Min(1) @Max(20_000) @DefaultValue("10000") int maxResumePositions,
            @NotNull @DefaultValue("10s") Duration resumeWindow,
            @Min(1) @Max(1000) @DefaultValue("32") int threads) {}

    /**
     * @param fanOut {@code contacts}: a user's online status goes to users who share a conversation with them;
     *     {@code everyone}: to every connected user (the seed's behaviour)
     * @param heartbeatInterval how often this gateway lists its live sessions to presence-service
     * @param heartbeatPartSize sessions per heartbeat record; at most 10,000 (presence-service refuses a record of more
     *     than 20,000, and one of some 15,000 fills Kafka's default 1 MB)
     * @param initialStatusLimit contacts whose presence is looked up and sent when a user connects
     * @param pushGroupLimit groups of at most this many members make their members contacts, whose status is pushed;
     *     members of larger groups follow each other with {@code presence_subscribe} (0: no group pushes)
     * @param flushInterval status changes wait this long at most and go out together (coalesced per user, one
     *     {@code presence_batch} frame for clients that accept it)
     * @param maxSubscriptions the most users one {@code presence_subscribe} may list
     * @param contactsRetention how long a user's contacts are kept (and kept current) after their last session here
     *     closed, so a reconnect does not ask message-service again (0: not kept)
     * @param contactsRetryBackoff the wait before a failed load of a user's contacts is tried again, doubled after each
     *     further failure, while the user has a session here
     * @param contactsRetryMaxBackoff the longest wait between those attempts
     */
    public record Presence(
            @NotNull @DefaultValue("contacts") FanOut fanOut,
            @NotNull @DefaultValue("10s") Duration heartbeatInterval,
            @Min(1) @Max(10_000) @DefaultValue("500") int heartbeatPartSize,
            @Min(0) @DefaultValue("1000") int initialStatusLimit,
            @Min(0) @DefaultValue("50") int pushGroupLimit,
            @NotNull @DefaultValue("500ms") Duration flushInterval,
            @Min(1) @Max(10_000) @DefaultValue("500") int maxSubscriptions,
            @NotNull @DefaultValue("10m") Duration contactsRetention,

            @NotNull @DurationMin(millis = 1) @DefaultValue("1s")
            Duration contactsRetryBackoff,

            @NotNull @DurationMin(millis = 1) @DefaultValue("30s")
            Duration contactsRetryMaxBackoff) {

        public enum FanOut {
            CONTACTS,
            EVERYONE
        }
    }

    /**
     * Every record the gateway produces goes through one bounded queue to one publishing thread, so no socket, Kafka
     * listener or scheduler thread ever waits for the Kafka producer.
     *
     * @param timeout a record Kafka has not taken this long after it was queued is given up: a client's send is then
     *     answered {@code message_error} {@code unavailable} (retry with the same {@code client_msg_id}). The
     *     producer's {@code delivery.timeout.ms} is set to this, its {@code request.timeout.ms} and
     *     {@code max.block.ms} to half of it
     * @param queueCapacity records waiting for the producer; when full, a send is answered {@code unavailable} at once
     *     and other records are dropped (and counted)
     */
    public record Send(
            @NotNull @DefaultValue("10s") Duration timeout,
            @Min(16) @DefaultValue("10000") int queueCapacity) {}
}
