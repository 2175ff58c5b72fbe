package org.erpchat.support.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Objects;
import org.junit.jupiter.api.Test;

/** Bugs are told apart by where the project's own code threw them, not by the library call that failed. */
class KeyedFaultLogTest {

    @Test
    void twoBugsFailingInTheSameLibraryCallHaveKeysOfTheirOwn() {
        String first = KeyedFaultLog.bugKey(caught(() -> firstHandler(null)));
        String second = KeyedFaultLog.bugKey(caught(() -> secondHandler(null)));

        assertThat(first).startsWith("java.lang.NullPointerException at ").endsWith("KeyedFaultLogTest.firstHandler");
        assertThat(second).endsWith("KeyedFaultLogTest.secondHandler");
    }

    @Test
    void theKeyIsTheRootCauses() {
        IllegalStateException wrapped = new IllegalStateException("wrapper", caught(() -> firstHandler(null)));

        assertThat(KeyedFaultLog.bugKey(wrapped)).startsWith("java.lang.NullPointerException");
    }

    private static void firstHandler(Object value) {
        Objects.requireNonNull(value);
    }

    private static void secondHandler(Object value) {
        Objects.requireNonNull(value);
    }

    private static RuntimeException caught(Runnable failing) {
        try {
            failing.run();
        } catch (RuntimeException e) {
            return e;
        }
        throw new AssertionError("did not fail");
    }
}
