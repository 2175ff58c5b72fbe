package org.erpchat.message.user;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The users this service has heard of. Every authenticated caller is recorded (id and the token's display name); the
 * ERP may provision users ahead of time. A send to a user never heard of is refused.
 */
@Service
public class UserRegistry {

    private final UserRepository users;
    private final Clock clock;
    /** Callers recorded recently, with the name written for them: a repeat visit with the same name writes nothing. */
    private final Cache<Long, Optional<String>> recentlySeen;

    /** Its own short transaction, started only when there is something to write. */
    private final TransactionTemplate write;

    UserRegistry(
            UserRepository users,
            Clock clock,
            UserProperties properties,
            PlatformTransactionManager transactionManager) {
        this.users = users;
        this.clock = clock;
        this.write = new TransactionTemplate(transactionManager);
        this.write.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.recentlySeen = Caffeine.newBuilder()
                .maximumSize(properties.seenCacheSize())
                .expireAfterWrite(properties.seenCacheTtl())
                .build();
    }

    /**
     * Records an authenticated caller. Free (no transaction, no connection) when the caller was recorded recently with
     * the same name, which is the case for nearly every request. The name (a token's claim) is stored sanitized
     * ({@link DisplayNames#sanitized}): a name that cannot be stored as it is never fails the caller's request.
     */
    public void recordSeen(long userId, String displayName) {
        Optional<String> name = Optional.ofNullable(DisplayNames.sanitized(displayName));
        Optional<String> cached = recentlySeen.getIfPresent(userId);
        if (cached != null && (name.isEmpty() || Objects.equals(cached, name))) {
            return;
        }
        write.executeWithoutResult(status -> users.recordSeen(userId, name.orElse(null), clock.instant()));
        recentlySeen.put(userId, name);
    }

    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public UserView provision(long userId, String displayName) {
        users.provision(userId, displayName, clock.instant());
        recentlySeen.invalidate(userId);
        return new UserView(userId, displayName);
    }

    @Transactional(readOnly = true)
    public boolean exists(long userId) {
        return recentlySeen.getIfPresent(userId) != null || users.existsById(userId);
    }

    /** The ids among {@code ids} that this service has never heard of, in ascending order. */
    @Transactional(readOnly = true)
    public Set<Long> unknownAmong(Collection<Long> ids) {
        if (ids.isEmpty()) {
            return Set.of();
        }
        Set<Long> unknown = new TreeSet<>(ids);
        unknown.removeAll(users.findExistingIds(Set.copyOf(ids)));
        return unknown;
    }

    @Transactional(readOnly = true)
    public List<UserView> find(Collection<Long> ids) {
        return users.findByIdInOrderById(Set.copyOf(ids));
    }

    @Transactional(readOnly = true)
    public Optional<UserView> find(long id) {
        return users.findById(id);
    }

    /** A name to show for a user in system messages: the display name, or "User 7" when there is none. */
    @Transactional(readOnly = true)
    public String nameOf(long userId) {
        return users.findById(userId)
                .map(UserView::displayName)
                .filter(n -> !n.isBlank())
                .orElse("User " + userId);
    }
}
