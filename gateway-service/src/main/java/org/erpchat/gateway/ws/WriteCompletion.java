package org.erpchat.gateway.ws;

import java.util.function.Consumer;
import org.eclipse.jetty.util.Callback;

/** A write's outcome for the session's queue: one object per write rather than {@code Callback.from}'s two lambdas. */
record WriteCompletion(Consumer<Throwable> done) implements Callback {

    @Override
    public void succeeded() {
        done.accept(null);
    }

    @Override
    public void failed(Throwable failure) {
        done.accept(failure);
    }
}
