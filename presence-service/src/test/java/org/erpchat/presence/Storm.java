package org.erpchat.presence;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * Random opens and closes for many users at once, from several threads, on several gateways, published through
 * Kafka. Each user's own operations happen in order (as on a real gateway); different users interleave freely.
 */
final class Storm {

    /** One user's gateway-side history. */
    static final class User {
        final long id;
        final List<String[]> open = new ArrayList<>(); // {gateway index, session id}
        /** Times the user's session count went from 0 to 1 or from 1 to 0. */
        int transitions;

        User(long id) {
            this.id = id;
        }

        boolean online() {
            return !open.isEmpty();
        }
    }

    final List<User> users = new ArrayList<>();

    Storm(int userCount, LongSupplier ids) {
        for (int i = 0; i < userCount; i++) {
            users.add(new User(ids.getAsLong()));
        }
    }

    /**
     * Every user opens one to four tabs on random gateways, then closes them in random order (every other user keeps
     * one open). Interleaved across users and threads, but each user crosses zero sessions at most at the start and
     * at the end, so the grace period never merges anything: the events must be exactly [online] or [online, offline].
     */
    Storm runTabs(List<FakeGateway> gateways, int threads, long seed) throws Exception {
        return run(threads, seed, (mine, random) -> {
            int[] tabs = new int[mine.size()];
            for (int i = 0; i < tabs.length; i++) {
                tabs[i] = 1 + random.nextInt(4);
            }
            for (int round = 0; round < 4; round++) {
                for (int i = 0; i < mine.size(); i++) {
                    if (round < tabs[i]) {
                        open(mine.get(i), gateways, random);
                    }
                }
            }
            for (int round = 0; round < 4; round++) {
                for (int i = 0; i < mine.size(); i++) {
                    User user = mine.get(i);
                    boolean keepOne = user.id % 2 == 0;
                    if (user.open.size() > (keepOne ? 1 : 0)) {
                        close(user, gateways, random);
                    }
                }
            }
        });
    }

    /** Runs {@code steps} rounds per user on {@code threads} threads; returns when everything is published. */
    Storm run(List<FakeGateway> gateways, int threads, int steps, long seed) throws Exception {
        return run(threads, seed, (mine, random) -> rounds(mine, gateways, steps, random));
    }

    private Storm run(int threads, long seed, java.util.function.BiConsumer<List<User>, Random> script)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                List<User> mine = new ArrayList<>();
                for (int i = t; i < users.size(); i += threads) {
                    mine.add(users.get(i));
                }
                Random random = new Random(seed * 31 + t);
                work.add(pool.submit(() -> script.accept(mine, random)));
            }
            for (Future<?> f : work) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return this;
    }

    Set<Long> ids() {
        return users.stream().map(u -> u.id).collect(Collectors.toCollection(TreeSet::new));
    }

    Set<Long> expectedOnline() {
        return users.stream().filter(User::online).map(u -> u.id).collect(Collectors.toCollection(TreeSet::new));
    }

    int transitions() {
        return users.stream().mapToInt(u -> u.transitions).sum();
    }

    static void assertAlternatingAndFinal(User user, List<Boolean> states) {
        assertThat(states).as("events of user %d", user.id).isNotEmpty();
        for (int i = 0; i < states.size(); i++) {
            // Starting with online, never two online or two offline in a row.
            assertThat(states.get(i))
                    .as("event %d of user %d: %s", i, user.id, states)
                    .isEqualTo(i % 2 == 0);
        }
        assertThat(states.get(states.size() - 1))
                .as("final state of user %d", user.id)
                .isEqualTo(user.online());
        // An offline followed by an online within the grace period merges into no event at all; nothing else may.
        assertThat(states.size()).as("events of user %d", user.id).isLessThanOrEqualTo(user.transitions);
    }

    /** Each round, every user opens a tab (always when they have none) or closes one of theirs. */
    private static void rounds(List<User> users, List<FakeGateway> gateways, int steps, Random random) {
        for (int step = 0; step < steps; step++) {
            for (User user : users) {
                if (user.open.isEmpty() || (user.open.size() < 3 && random.nextInt(100) < 50)) {
                    open(user, gateways, random);
                } else {
                    close(user, gateways, random);
                }
            }
        }
    }

    private static void open(User user, List<FakeGateway> gateways, Random random) {
        int g = random.nextInt(gateways.size());
        String session = gateways.get(g).open(user.id);
        if (user.open.isEmpty()) {
            user.transitions++;
        }
        user.open.add(new String[] {Integer.toString(g), session});
    }

    private static void close(User user, List<FakeGateway> gateways, Random random) {
        String[] victim = user.open.remove(random.nextInt(user.open.size()));
        gateways.get(Integer.parseInt(victim[0])).close(victim[1]);
        if (user.open.isEmpty()) {
            user.transitions++;
        }
    }
}
