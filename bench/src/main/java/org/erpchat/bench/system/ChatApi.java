package org.erpchat.bench.system;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * message-service's REST API as the benchmark uses it: provisioning users, creating groups, sending messages (as the
 * ERP's own screens do) and reading a conversation's last seq. Requests are asynchronous over a bounded pool of
 * connections, so an open-loop sender never waits for a response; requests beyond the pool queue in the client, and
 * their latency, measured from the intended send time, shows it.
 */
public final class ChatApi implements AutoCloseable {

    public static final JsonMapper JSON = JsonMapper.builder().build();

    private final Target target;
    private final Tokens tokens;
    private final HttpClient http;
    private final ConcurrentHashMap<Long, String> tokenCache = new ConcurrentHashMap<>();

    public ChatApi(Target target, Tokens tokens, int maxConnections) {
        this.target = target;
        this.tokens = tokens;
        this.http = new HttpClient();
        http.setMaxConnectionsPerDestination(maxConnections);
        http.setMaxRequestsQueuedPerDestination(1_000_000);
        http.setConnectTimeout(5_000);
        http.setIdleTimeout(60_000);
        try {
            http.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the HTTP client", e);
        }
    }

    /**
     * The answer to one request: its status and body (empty on a transport failure, with status 0), and the delay its
     * {@code Retry-After} header asks for (null without one: message-service sends it with 429, in seconds).
     */
    public record Answer(int status, JsonNode body, Duration retryAfter) {

        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    /** Makes users known to message-service, as the ERP does before their first visit. */
    public void provision(Collection<Long> userIds) {
        String admin = tokens.admin();
        Semaphore inFlight = new Semaphore(64);
        List<CompletableFuture<Answer>> calls = new ArrayList<>();
        for (long id : userIds) {
            inFlight.acquireUninterruptibly();
            ObjectNode body = JSON.createObjectNode().put("display_name", "Bench " + id);
            CompletableFuture<Answer> call = call(HttpMethod.PUT, "/api/admin/users/" + id, admin, body);
            call.whenComplete((answer, error) -> inFlight.release());
            calls.add(call);
        }
        for (CompletableFuture<Answer> call : calls) {
            Answer answer = call.join();
            if (!answer.ok()) {
                throw new IllegalStateException(
                        "provisioning a user failed: HTTP " + answer.status() + " " + answer.body());
            }
        }
    }

    /** Creates a group owned by {@code owner} with the others as members; returns its id. */
    public long createGroup(long owner, String name, Collection<Long> members) {
        ObjectNode body = JSON.createObjectNode().put("name", name);
        members.stream().filter(id -> id != owner).forEach(body.putArray("member_ids")::add);
        Answer answer = call(HttpMethod.POST, "/api/groups", token(owner), body).join();
        if (!answer.ok()) {
            throw new IllegalStateException("creating a group failed: HTTP " + answer.status() + " " + answer.body());
        }
        return answer.body().path("id").asLong();
    }

    public CompletableFuture<Answer> sendPrivate(long sender, long receiver, String content, String clientMsgId) {
        return send(sender, "/api/messages/private", "receiver_id", receiver, content, clientMsgId);
    }

    public CompletableFuture<Answer> sendGroup(long sender, long groupId, String content, String clientMsgId) {
        return send(sender, "/api/messages/group", "group_id", groupId, content, clientMsgId);
    }

    private CompletableFuture<Answer> send(
            long sender, String path, String targetField, long targetId, String content, String clientMsgId) {
        ObjectNode body = JSON.createObjectNode()
                .put(targetField, targetId)
                .put("content", content)
                .put("client_msg_id", clientMsgId);
        return call(HttpMethod.POST, path, token(sender), body);
    }

    /** The conversation's last seq, as one of its members sees it. */
    public long lastSeq(long member, long conversationId) {
        Answer answer = call(HttpMethod.GET, "/api/conversations/" + conversationId, token(member), null)
                .join();
        if (!answer.ok()) {
            throw new IllegalStateException(
                    "reading conversation " + conversationId + " failed: HTTP " + answer.status());
        }
        return answer.body().path("last_seq").asLong();
    }

    private String token(long userId) {
        return tokenCache.computeIfAbsent(userId, tokens::forUser);
    }

    private CompletableFuture<Answer> call(HttpMethod method, String path, String token, JsonNode body) {
        Request request = http.newRequest(target.messageServiceUrl().resolve(path))
                .method(method)
                .timeout(120, TimeUnit.SECONDS)
                .headers(headers -> headers.put(HttpHeader.AUTHORIZATION, "Bearer " + token));
        if (body != null) {
            request.body(new StringRequestContent("application/json", JSON.writeValueAsString(body)));
        }
        return new CompletableResponseListener(request, 4 * 1024 * 1024)
                .send()
                .handle((response, error) ->
                        error != null ? new Answer(0, JSON.missingNode(), null) : answer(response));
    }

    private static Answer answer(ContentResponse response) {
        String content = response.getContentAsString();
        JsonNode body;
        try {
            body = content == null || content.isBlank() ? JSON.missingNode() : JSON.readTree(content);
        } catch (JacksonException e) {
            body = JSON.getNodeFactory().stringNode(content);
        }
        return new Answer(
                response.getStatus(), body, retryAfter(response.getHeaders().get(HttpHeader.RETRY_AFTER)));
    }

    /** The delay-seconds form of {@code Retry-After}; null for none, or for a date, which message-service never sends. */
    static Duration retryAfter(String header) {
        if (header == null) {
            return null;
        }
        try {
            return Duration.ofSeconds(Long.parseLong(header.trim()));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public void close() {
        try {
            http.stop();
        } catch (Exception e) {
            // Stopping a client on the way out: nothing to do about it.
        }
    }
}
