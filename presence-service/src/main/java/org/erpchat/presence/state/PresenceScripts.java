package org.erpchat.presence.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.erpchat.presence.PresenceProperties;
import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.connection.RedisPipelineException;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

/**
 * The Lua scripts that change presence and typing state. Each is {@code common.lua} followed by its own body and runs
 * atomically in Redis (by SHA, loaded on first use), so every transition is decided exactly once however many
 * instances, consumers and sweepers run at the same time.
 */
@Component
public class PresenceScripts {

    @SuppressWarnings("rawtypes")
    private static final Class<List> LIST = List.class;

    @SuppressWarnings("rawtypes")
    public final RedisScript<List> heartbeat = withCommon("heartbeat.lua", LIST);

    @SuppressWarnings("rawtypes")
    public final RedisScript<List> sweep = withCommon("sweep.lua", LIST);

    public final RedisScript<Long> open = withCommon("open.lua", Long.class);
    public final RedisScript<Long> close = withCommon("close.lua", Long.class);
    public final RedisScript<Long> typing = withCommon("typing.lua", Long.class);

    private final StringRedisTemplate redis;
    private final List<String> commonArgs;

    PresenceScripts(StringRedisTemplate redis, PresenceProperties properties) {
        this.redis = redis;
        // The order is the one common.lua reads ARGV[1..7] in.
        this.commonArgs = List.of(
                millis(properties.sessionTtl().toMillis()),
                millis(properties.onlineKeyTtl().toMillis()),
                millis(properties.closedSessionRetention().toMillis()),
                millis(properties.rebuildWindow().toMillis()),
                millis(properties.typingTtl().toMillis()),
                millis(properties.offlineGrace().toMillis()),
                Long.toString(properties.outbox().maxLength()));
    }

    /** Runs a script with the common arguments followed by its own. */
    public <T> T run(RedisScript<T> script, List<String> args) {
        List<String> all = new ArrayList<>(commonArgs.size() + args.size());
        all.addAll(commonArgs);
        all.addAll(args);
        return redis.execute(script, Collections.emptyList(), all.toArray());
    }

    /** The {@code index}-th number of a script's list result. */
    public static long number(List<?> result, int index) {
        return ((Number) result.get(index)).longValue();
    }

    /** One script run of a pipeline: the script and its own arguments. */
    public record Call(RedisScript<?> script, List<String> args) {}

    /**
     * Runs the calls in order in one pipelined round trip and returns their results in the same order. Redis still
     * runs each script atomically, one after the other, exactly as {@link #run} would; only the round trips are
     * saved. A Redis that does not hold a script (restarted or flushed) gets them loaded and the calls run again:
     * every script is idempotent, so one that had run already changes nothing the second time.
     */
    public List<Object> runAll(List<Call> calls) {
        try {
            return pipeline(calls);
        } catch (RuntimeException e) {
            if (!missingScript(e)) {
                throw e;
            }
            load(calls);
            return pipeline(calls);
        }
    }

    private List<Object> pipeline(List<Call> calls) {
        List<byte[]> common = commonArgs.stream().map(PresenceScripts::bytes).toList();
        return redis.executePipelined((RedisCallback<Object>) connection -> {
            for (Call call : calls) {
                byte[][] args = new byte[common.size() + call.args().size()][];
                int i = 0;
                for (byte[] arg : common) {
                    args[i++] = arg;
                }
                for (String arg : call.args()) {
                    args[i++] = bytes(arg);
                }
                connection
                        .scriptingCommands()
                        .evalSha(
                                call.script().getSha1(),
                                ReturnType.fromJavaType(call.script().getResultType()),
                                0,
                                args);
            }
            return null;
        });
    }

    private void load(List<Call> calls) {
        Set<RedisScript<?>> scripts = new LinkedHashSet<>();
        calls.forEach(call -> scripts.add(call.script()));
        redis.execute((RedisCallback<Object>) connection -> {
            for (RedisScript<?> script : scripts) {
                connection.scriptingCommands().scriptLoad(bytes(script.getScriptAsString()));
            }
            return null;
        });
    }

    /** Whether Redis answered NOSCRIPT, for the whole call or for one of a pipeline's commands. */
    private static boolean missingScript(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null && cause.getMessage().contains("NOSCRIPT")) {
                return true;
            }
            if (cause instanceof RedisPipelineException pipeline) {
                for (Object result : pipeline.getPipelineResult()) {
                    if (result instanceof Throwable commandFailure && missingScript(commandFailure)) {
                        return true;
                    }
                }
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    private static String millis(long value) {
        return Long.toString(value);
    }

    private static <T> RedisScript<T> withCommon(String name, Class<T> resultType) {
        return RedisScript.of(read("common.lua") + "\n" + read(name), resultType);
    }

    private static String read(String name) {
        try (var in = new ClassPathResource(name, PresenceScripts.class).getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("missing script " + name, e);
        }
    }
}
