package org.erpchat.presence.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.erpchat.presence.PresenceProperties;
import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

/**
 * The Lua scripts that change presence and typing state. Each is {@code common.lua} followed by its own body and runs
 * atomically in Redis (by SHA, loaded on first use), so every transition is decided exactly once however many
 * instances, consumers and sweepers run at the same time.
 */
@Component
class PresenceScripts {

    @SuppressWarnings("rawtypes")
    private static final Class<List> LIST = List.class;

    @SuppressWarnings("rawtypes")
    final RedisScript<List> heartbeat = withCommon("heartbeat.lua", LIST);

    @SuppressWarnings("rawtypes")
    final RedisScript<List> sweep = withCommon("sweep.lua", LIST);

    final RedisScript<Long> open = withCommon("open.lua", Long.class);
    final RedisScript<Long> close = withCommon("close.lua", Long.class);
    final RedisScript<Long> typing = withCommon("typing.lua", Long.class);

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
    <T> T run(RedisScript<T> script, List<String> args) {
        List<String> all = new ArrayList<>(commonArgs.size() + args.size());
        all.addAll(commonArgs);
        all.addAll(args);
        return redis.execute(script, Collections.emptyList(), all.toArray());
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
