package org.erpchat.gateway.support;

import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.erpchat.gateway.session.Credentials;
import org.erpchat.support.security.AuthenticatedUser;

/** What the tests of the gateway's batched calls to other services share: tokens to tell apart, a call held open. */
public final class BatchCalls {

    private BatchCalls() {}

    /** Credentials whose token reads "token-&lt;user&gt;-&lt;which&gt;", accepted for {@code secondsValid} from now. */
    public static Credentials credentials(long user, String which, long secondsValid) {
        Instant until = Instant.now().plusSeconds(secondsValid);
        return new Credentials(
                new AuthenticatedUser(user, "User " + user), "token-" + user + "-" + which, until, until);
    }

    /** Holds a call (or the executor's only thread) until the test releases it, for at most 10 seconds. */
    public static void waitFor(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
