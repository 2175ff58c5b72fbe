package org.erpchat.infra.embedded;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a {@link KraftBroker} as a process of its own: {@code KraftBrokerMain <data dir> <port> <controller port>}. It
 * prints {@value #READY} once the broker serves clients and stops the broker cleanly on SIGTERM. Used by {@link
 * KafkaBrokerProcess}, so that tests can freeze the broker with SIGSTOP exactly as an operator's outage would.
 */
public final class KraftBrokerMain {

    static final String READY = "KRAFT BROKER READY";

    private KraftBrokerMain() {}

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 3) {
            System.err.println("usage: KraftBrokerMain <data dir> <port> <controller port>");
            System.exit(2);
        }
        KraftBroker broker =
                new KraftBroker(Path.of(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]), Map.of());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.stop();
            stopped.countDown();
        }));
        broker.start();
        System.out.println(READY + " " + broker.bootstrapServers());
        System.out.flush();
        stopped.await();
    }
}
