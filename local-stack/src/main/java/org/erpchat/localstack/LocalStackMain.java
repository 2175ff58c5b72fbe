package org.erpchat.localstack;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;

/**
 * {@code run-local.sh} runs this. Without arguments it starts the whole system and waits for Ctrl-C;
 * {@code token <user-id> [name]} prints a development token for that user (the stack need not be running).
 */
public final class LocalStackMain {

    private LocalStackMain() {}

    public static void main(String[] args) {
        Path root = Path.of(System.getProperty("chat.repository-root", "."))
                .toAbsolutePath()
                .normalize();
        LocalStackSettings settings = LocalStackSettings.fromEnvironment(root, System.getenv());
        if (args.length > 0 && args[0].equals("token")) {
            printToken(settings, args);
            return;
        }
        if (args.length > 0) {
            System.err.println("usage: run-local.sh            start everything (Ctrl-C stops it)");
            System.err.println("       run-local.sh token <user-id> [name]   print a development token");
            System.exit(2);
        }
        run(settings);
    }

    private static void run(LocalStackSettings settings) {
        LocalStack stack = new LocalStack(settings);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            System.out.println("\nStopping ERP Chat...");
                            stack.close();
                            System.out.println("Stopped.");
                            stopped.countDown();
                        },
                        "local-stack-shutdown"));
        try {
            stack.start();
        } catch (RuntimeException e) {
            System.err.println("ERP Chat could not start: " + e.getMessage());
            System.exit(1);
        }
        System.out.println();
        System.out.println("ERP Chat is running.");
        System.out.println("  Web app:          " + stack.gatewayUrl() + "/");
        System.out.println("  WebSocket:        ws://localhost:" + settings.gatewayPort() + "/ws");
        System.out.println("  REST API docs:    " + stack.messageServiceUrl() + "/swagger-ui.html");
        System.out.println("  Presence API:     " + stack.presenceServiceUrl() + "/api/presence/online");
        System.out.println("  Get a token:      curl -s '" + stack.devTokenUrl() + "?user_id=1&name=Alice'");
        System.out.println("                    or: ./run-local.sh token 1 Alice");
        System.out.println("  Data and logs:    " + settings.dataDir());
        System.out.println("Press Ctrl-C to stop.");
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void printToken(LocalStackSettings settings, String[] args) {
        if (args.length < 2) {
            System.err.println("usage: run-local.sh token <user-id> [name]");
            System.exit(2);
        }
        String secret =
                settings.jwtSecret() != null ? settings.jwtSecret() : DevTokens.loadOrCreateSecret(settings.dataDir());
        String name = args.length > 2 ? String.join(" ", java.util.Arrays.copyOfRange(args, 2, args.length)) : null;
        try {
            System.out.println(new DevTokens(secret, Clock.systemUTC())
                    .issue(Long.parseLong(args[1]), name)
                    .token());
        } catch (IllegalArgumentException e) {
            System.err.println("user id must be a positive integer");
            System.exit(2);
        }
    }
}
