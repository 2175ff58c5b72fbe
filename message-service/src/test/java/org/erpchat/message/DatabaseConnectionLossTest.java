package org.erpchat.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A database connection whose server stops answering (a failed-over primary, a dropped network path, a frozen VM: the
 * connection stays open and nothing comes back). Without a socket timeout such a statement waits until TCP gives up,
 * hours later, and whatever holds the connection (the outbox relay, a lane) stops with it.
 */
class DatabaseConnectionLossTest extends MessageServiceTest {

    /** application.yml's {@code socketTimeout}, in milliseconds, as JDBC reports it. */
    private static final int SOCKET_TIMEOUT_MS = 30_000;

    @Autowired
    private DataSource dataSource;

    @Autowired
    private Flyway flyway;

    @Test
    void aStatementThatIsNeverAnsweredFailsAndThePoolReplacesItsConnection() throws Exception {
        long alice = knownUser();
        long bob = knownUser();
        ExecutorService caller = Executors.newSingleThreadExecutor();
        int backend;
        try (Connection connection = dataSource.getConnection()) {
            backend = backendPid(connection);
            infrastructure.freezePostgresBackend(backend);
            try {
                Future<Integer> neverAnswered = caller.submit(() -> selectOne(connection));
                // Bounded here only so that the old behaviour fails the test instead of hanging it.
                assertThatThrownBy(() -> neverAnswered.get(3, TimeUnit.MINUTES))
                        .isInstanceOf(ExecutionException.class)
                        .cause()
                        .isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState())
                                .as("a connection failure, which makes the pool discard the connection")
                                .startsWith("08"));
            } finally {
                infrastructure.thawPostgresBackend(backend);
                caller.shutdownNow();
            }
        }
        // The pool closed that connection instead of lending it again: its backend goes away.
        await().atMost(Duration.ofSeconds(30))
                .until(() -> jdbc.sql("SELECT count(*) FROM pg_stat_activity WHERE pid = :pid")
                                .param("pid", backend)
                                .query(Long.class)
                                .single()
                        == 0);
        Api.Response send = sendPrivate(alice, bob, "after a lost connection");
        assertThat(send.status()).as(send.toString()).isEqualTo(201);
    }

    @Test
    void everyLockWaitEndsBeforeTheSocketTimeout() throws SQLException {
        try (Connection pooled = dataSource.getConnection();
                Statement statement = pooled.createStatement();
                ResultSet lockTimeout = statement.executeQuery("SHOW lock_timeout")) {
            lockTimeout.next();
            assertThat(lockTimeout.getString(1)).isEqualTo("20s");
        }
    }

    @Test
    void migrationsWaitForTheirStatementsWithoutTheSocketTimeoutAndThePoolKeepsIt() throws SQLException {
        try (Connection migration = flyway.getConfiguration().getDataSource().getConnection()) {
            assertThat(migration.getNetworkTimeout()).isZero();
        }
        try (Connection pooled = dataSource.getConnection()) {
            assertThat(pooled.getNetworkTimeout()).isEqualTo(SOCKET_TIMEOUT_MS);
        }
    }

    private static int backendPid(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet pid = statement.executeQuery("SELECT pg_backend_pid()")) {
            pid.next();
            return pid.getInt(1);
        }
    }

    private static int selectOne(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet one = statement.executeQuery("SELECT 1")) {
            one.next();
            return one.getInt(1);
        }
    }
}
