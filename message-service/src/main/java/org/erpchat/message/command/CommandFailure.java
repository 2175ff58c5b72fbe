package org.erpchat.message.command;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.sql.SQLTransientException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.erpchat.events.RejectReason;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * What a failure to process a send command means: worth retrying (the database or its connection is briefly
 * unavailable, a lock or statement timed out), or the same on every retry (PostgreSQL refuses the data, a constraint
 * or a bug), in which case the command is answered at once and the partition moves on.
 *
 * <p>The SQLState, when there is one, decides, because it says what PostgreSQL saw; Spring's exception types are the
 * fallback (they translate the same states, but not every path translates). Anything not known to be transient is
 * deterministic: retrying an unknown failure for minutes is what blocked partitions before. An {@link Error} thrown by
 * the handling (a StackOverflowError, an AssertionError, a class that failed to initialize) is a bug: always
 * {@link #UNEXPECTED}, whatever its cause says.
 */
enum CommandFailure {

    /** Retry later: nothing is wrong with the command. */
    TRANSIENT(null, null),

    /** PostgreSQL refuses a value of the command (SQLState class 22, "data exception"): answered invalid_message. */
    INVALID_DATA(RejectReason.INVALID_MESSAGE, "the message contains a value that cannot be stored"),

    /**
     * A constraint, a bug (an {@link Error} too), anything else: answered internal_error. The client may retry with the
     * same id.
     */
    UNEXPECTED(RejectReason.INTERNAL_ERROR, "the message could not be processed"),
    ;

    /** Data exceptions whose cause can be named for the client without quoting its data. */
    private static final Map<String, String> DATA_DETAILS = Map.of(
            "22021", "the message contains a character that cannot be stored (such as NUL)",
            "22P05", "the message contains a character that cannot be stored",
            "22001", "a field of the message is too long to be stored");

    private final RejectReason reason;
    private final String detail;

    CommandFailure(RejectReason reason, String detail) {
        this.reason = reason;
        this.detail = detail;
    }

    boolean isTransient() {
        return this == TRANSIENT;
    }

    /** The reject code a deterministic failure is answered with. */
    RejectReason reason() {
        return reason;
    }

    /** What the client is told: never PostgreSQL's own message, which may quote the data. */
    String detailFor(Throwable failure) {
        if (this == INVALID_DATA) {
            String state = sqlState(failure);
            return state == null ? detail : DATA_DETAILS.getOrDefault(state, detail);
        }
        return detail;
    }

    static CommandFailure classify(Throwable failure) {
        // A bug, never the database's state: a class whose initializer failed while the database was down fails the
        // same way on every retry (NoClassDefFoundError), so a transient cause must not make it parked for good.
        if (failure instanceof Error) {
            return UNEXPECTED;
        }
        // Not even a connection or a transaction: the database is unreachable, misconfigured or overloaded, which is
        // the same for every command, so never blame the command (whatever SQLState the login failure carries).
        if (anyCause(failure, CannotCreateTransactionException.class)
                || anyCause(failure, DataAccessResourceFailureException.class)) {
            return TRANSIENT;
        }
        String state = sqlState(failure);
        if (state != null) {
            if (isTransientState(state)) {
                return TRANSIENT;
            }
            return state.startsWith("22") ? INVALID_DATA : UNEXPECTED;
        }
        if (anyCause(failure, TransientDataAccessException.class)
                || anyCause(failure, RecoverableDataAccessException.class)
                || anyCause(failure, SQLTransientException.class)
                || anyCause(failure, SQLRecoverableException.class)) {
            return TRANSIENT;
        }
        return UNEXPECTED;
    }

    /**
     * Whether a transient failure is the database's as a whole (no connection or transaction, the server refuses or
     * goes away, runs out of resources) rather than one conversation's (a lock, a deadlock, a slow statement).
     */
    static boolean isDatabaseWide(Throwable failure) {
        if (anyCause(failure, CannotCreateTransactionException.class)
                || anyCause(failure, DataAccessResourceFailureException.class)) {
            return true;
        }
        String state = sqlState(failure);
        if (state == null) {
            return anyCause(failure, SQLTransientConnectionException.class)
                    || anyCause(failure, SQLRecoverableException.class);
        }
        return state.startsWith("08") || state.startsWith("53") || state.startsWith("57P0") || state.startsWith("58");
    }

    /**
     * 08 connection exception, 53 insufficient resources, 57P01-57P05 the server is shutting down or not accepting
     * connections, 57014 statement timeout, 55P03 lock timeout, 40001 serialization failure, 40P01 deadlock, 58 I/O
     * error on the server.
     */
    private static boolean isTransientState(String state) {
        return state.startsWith("08")
                || state.startsWith("53")
                || state.startsWith("57P0")
                || state.startsWith("58")
                || state.equals("57014")
                || state.equals("55P03")
                || state.equals("40001")
                || state.equals("40P01");
    }

    /** The SQLState of the first SQLException in the cause chain that has one. */
    private static String sqlState(Throwable failure) {
        for (Throwable cause : causes(failure)) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
        }
        return null;
    }

    private static boolean anyCause(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable cause : causes(failure)) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    /** The failure and its causes, outermost first, each once (a cause chain can loop). */
    private static List<Throwable> causes(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Throwable> chain = new ArrayList<>();
        for (Throwable cause = failure; cause != null && seen.add(cause); cause = cause.getCause()) {
            chain.add(cause);
        }
        return chain;
    }
}
