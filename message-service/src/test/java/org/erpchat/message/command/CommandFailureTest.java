package org.erpchat.message.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.zaxxer.hikari.HikariDataSource;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.erpchat.events.RejectReason;
import org.erpchat.message.MessageServiceTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@link CommandFailure} against the exceptions the real stack raises: each failure below is provoked in the test
 * PostgreSQL through Spring's JDBC support (and the service's own connection pool and transaction manager where the
 * path matters), never constructed by hand.
 */
class CommandFailureTest extends MessageServiceTest {

    @Autowired
    private PlatformTransactionManager transactionManager;

    @Autowired
    private DataSource dataSource;

    @Test
    void dataPostgresqlRefusesIsAnsweredAsInvalidMessageWithoutQuotingIt() {
        Throwable nul = catchThrowable(() -> jdbc.sql("SELECT CAST(:text AS text)")
                .param("text", "nul\u0000byte")
                .query(String.class)
                .single());
        assertThat(sqlState(nul)).isEqualTo("22021");
        assertThat(CommandFailure.classify(nul)).isEqualTo(CommandFailure.INVALID_DATA);
        assertThat(CommandFailure.INVALID_DATA.reason()).isEqualTo(RejectReason.INVALID_MESSAGE);
        assertThat(CommandFailure.INVALID_DATA.detailFor(nul)).contains("NUL").doesNotContain("UTF8");

        Throwable notANumber = catchThrowable(() -> jdbc.sql("SELECT CAST(:text AS integer)")
                .param("text", "secret value")
                .query(Integer.class)
                .single());
        assertThat(sqlState(notANumber)).isEqualTo("22P02");
        assertThat(CommandFailure.classify(notANumber)).isEqualTo(CommandFailure.INVALID_DATA);
        assertThat(CommandFailure.INVALID_DATA.detailFor(notANumber)).doesNotContain("secret value");

        Throwable tooLong = catchThrowable(() -> inTransaction(jdbc -> {
            jdbc.sql("CREATE TEMPORARY TABLE short_text (v varchar(3)) ON COMMIT DROP")
                    .update();
            jdbc.sql("INSERT INTO short_text VALUES (:v)").param("v", "four").update();
        }));
        assertThat(sqlState(tooLong)).isEqualTo("22001");
        assertThat(CommandFailure.classify(tooLong)).isEqualTo(CommandFailure.INVALID_DATA);
    }

    @Test
    void constraintViolationsAndProgrammingErrorsAreAnsweredAsInternalError() {
        Throwable duplicate = catchThrowable(() -> inTransaction(jdbc -> {
            jdbc.sql("CREATE TEMPORARY TABLE unique_ids (id int PRIMARY KEY) ON COMMIT DROP")
                    .update();
            jdbc.sql("INSERT INTO unique_ids VALUES (1)").update();
            jdbc.sql("INSERT INTO unique_ids VALUES (1)").update();
        }));
        assertThat(sqlState(duplicate)).isEqualTo("23505");
        assertThat(CommandFailure.classify(duplicate)).isEqualTo(CommandFailure.UNEXPECTED);

        Throwable noSuchTable = catchThrowable(
                () -> jdbc.sql("SELECT * FROM no_such_table").query().listOfRows());
        assertThat(sqlState(noSuchTable)).isEqualTo("42P01");
        assertThat(CommandFailure.classify(noSuchTable)).isEqualTo(CommandFailure.UNEXPECTED);

        Throwable bug = catchThrowable(() -> List.of().get(0));
        assertThat(CommandFailure.classify(bug)).isEqualTo(CommandFailure.UNEXPECTED);
        assertThat(CommandFailure.UNEXPECTED.reason()).isEqualTo(RejectReason.INTERNAL_ERROR);
    }

    @Test
    void lockAndStatementTimeoutsAreTransient() throws Exception {
        long lockId = ThreadLocalRandom.current().nextLong(1, 1L << 40);
        try (Connection holder = directConnection();
                Statement statement = holder.createStatement()) {
            statement.execute("SELECT pg_advisory_lock(" + lockId + ")");
            Throwable lockTimeout = catchThrowable(() -> inTransaction(jdbc -> {
                jdbc.sql("SET LOCAL lock_timeout = '50ms'").update();
                jdbc.sql("SELECT pg_advisory_xact_lock(" + lockId + ")").query().listOfRows();
            }));
            assertThat(sqlState(lockTimeout)).isEqualTo("55P03");
            assertThat(CommandFailure.classify(lockTimeout)).isEqualTo(CommandFailure.TRANSIENT);
            assertThat(CommandFailure.isDatabaseWide(lockTimeout)).isFalse();
        }

        Throwable statementTimeout = catchThrowable(() -> inTransaction(jdbc -> {
            jdbc.sql("SET LOCAL statement_timeout = '50ms'").update();
            jdbc.sql("SELECT pg_sleep(5)").query().listOfRows();
        }));
        assertThat(sqlState(statementTimeout)).isEqualTo("57014");
        assertThat(CommandFailure.classify(statementTimeout)).isEqualTo(CommandFailure.TRANSIENT);
        assertThat(CommandFailure.isDatabaseWide(statementTimeout)).isFalse();
    }

    @Test
    void deadlocksAndSerializationFailuresAreTransient() throws Exception {
        long first = ThreadLocalRandom.current().nextLong(1, 1L << 40);
        long second = first + 1;
        CyclicBarrier bothHoldOne = new CyclicBarrier(2);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        List<Throwable> deadlocked = new ArrayList<>();
        try {
            Future<Throwable> one = threads.submit(() -> crossLock(first, second, bothHoldOne));
            Future<Throwable> other = threads.submit(() -> crossLock(second, first, bothHoldOne));
            for (Future<Throwable> outcome : List.of(one, other)) {
                Throwable failure = outcome.get();
                if (failure != null) {
                    deadlocked.add(failure);
                }
            }
        } finally {
            threads.shutdown();
        }
        // PostgreSQL breaks the deadlock by failing one of the two.
        assertThat(deadlocked).hasSize(1);
        assertThat(sqlState(deadlocked.get(0))).isEqualTo("40P01");
        assertThat(CommandFailure.classify(deadlocked.get(0))).isEqualTo(CommandFailure.TRANSIENT);
        assertThat(CommandFailure.isDatabaseWide(deadlocked.get(0))).isFalse();

        long conversation = conversation();
        TransactionTemplate repeatableRead = new TransactionTemplate(transactionManager);
        repeatableRead.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        Throwable serialization = catchThrowable(() -> repeatableRead.executeWithoutResult(status -> {
            jdbc.sql("SELECT last_seq FROM conversations WHERE id = :id")
                    .param("id", conversation)
                    .query(Long.class)
                    .single();
            try (Connection concurrent = directConnection();
                    Statement update = concurrent.createStatement()) {
                update.executeUpdate("UPDATE conversations SET last_activity_at = now() WHERE id = " + conversation);
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
            jdbc.sql("UPDATE conversations SET last_activity_at = now() WHERE id = :id")
                    .param("id", conversation)
                    .update();
        }));
        assertThat(sqlState(serialization)).isEqualTo("40001");
        assertThat(CommandFailure.classify(serialization)).isEqualTo(CommandFailure.TRANSIENT);
        assertThat(CommandFailure.isDatabaseWide(serialization)).isFalse();
    }

    @Test
    void noConnectionIsTransient() throws Exception {
        // Nothing listens on the port.
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        DriverManagerDataSource nowhere = new DriverManagerDataSource(
                "jdbc:postgresql://127.0.0.1:" + port + "/chat?connectTimeout=2", "chat", "chat");
        Throwable refused = catchThrowable(() ->
                JdbcClient.create(nowhere).sql("SELECT 1").query(Integer.class).single());
        assertThat(sqlState(refused)).startsWith("08");
        assertThat(CommandFailure.classify(refused)).isEqualTo(CommandFailure.TRANSIENT);
        assertThat(CommandFailure.isDatabaseWide(refused)).isTrue();

        // The server ends the session (as on a restart or failover): 57P01, or an I/O error (08006) on next use.
        Connection doomed = directConnection();
        int pid;
        try (Statement statement = doomed.createStatement()) {
            var rs = statement.executeQuery("SELECT pg_backend_pid()");
            rs.next();
            pid = rs.getInt(1);
        }
        jdbc.sql("SELECT pg_terminate_backend(:pid)").param("pid", pid).query().listOfRows();
        SingleConnectionDataSource terminated = new SingleConnectionDataSource(doomed, true);
        Throwable gone = catchThrowable(() -> JdbcClient.create(terminated)
                .sql("SELECT 1")
                .query(Integer.class)
                .single());
        doomed.close();
        assertThat(sqlState(gone)).matches("57P01|08.*");
        assertThat(CommandFailure.classify(gone)).isEqualTo(CommandFailure.TRANSIENT);
        assertThat(CommandFailure.isDatabaseWide(gone)).isTrue();
    }

    @Test
    void anExhaustedConnectionPoolIsTransient() throws Exception {
        // The service's own pool and transaction manager: every connection taken, the next transaction cannot
        // start (Hikari gives up after its connection-timeout).
        try (HikariDataSource pool = new HikariDataSource()) {
            pool.setJdbcUrl(infrastructure.jdbcUrl());
            pool.setUsername(infrastructure.jdbcUsername());
            pool.setPassword(infrastructure.jdbcPassword());
            pool.setMaximumPoolSize(1);
            pool.setConnectionTimeout(250);
            try (Connection taken = pool.getConnection()) {
                Throwable exhausted =
                        catchThrowable(() -> new TransactionTemplate(new DataSourceTransactionManager(pool))
                                .executeWithoutResult(status -> {}));
                assertThat(CommandFailure.classify(exhausted)).isEqualTo(CommandFailure.TRANSIENT);
                assertThat(CommandFailure.isDatabaseWide(exhausted)).isTrue();
            }
        }
        HikariDataSource servicePool = dataSource.unwrap(HikariDataSource.class);
        List<Connection> taken = new ArrayList<>();
        try {
            for (int i = 0; i < servicePool.getMaximumPoolSize(); i++) {
                taken.add(servicePool.getConnection());
            }
            Throwable exhausted = catchThrowable(
                    () -> new TransactionTemplate(transactionManager).executeWithoutResult(status -> {}));
            assertThat(exhausted).isNotNull();
            assertThat(CommandFailure.classify(exhausted)).isEqualTo(CommandFailure.TRANSIENT);
            assertThat(CommandFailure.isDatabaseWide(exhausted)).isTrue();
        } finally {
            for (Connection connection : taken) {
                connection.close();
            }
        }
    }

    /** Takes advisory lock {@code mine}, waits for the other thread to take its own, then asks for {@code theirs}. */
    private Throwable crossLock(long mine, long theirs, CyclicBarrier bothHoldOne) {
        return catchThrowable(() -> inTransaction(jdbc -> {
            jdbc.sql("SELECT pg_advisory_xact_lock(" + mine + ")").query().listOfRows();
            try {
                bothHoldOne.await();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            jdbc.sql("SELECT pg_advisory_xact_lock(" + theirs + ")").query().listOfRows();
        }));
    }

    private void inTransaction(java.util.function.Consumer<JdbcClient> work) {
        new TransactionTemplate(transactionManager).executeWithoutResult(status -> work.accept(jdbc));
    }

    private long conversation() {
        long alice = knownUser();
        long bob = knownUser();
        return sendPrivate(alice, bob, "hello").longValue("conversation_id");
    }

    private Connection directConnection() throws java.sql.SQLException {
        return DriverManager.getConnection(
                infrastructure.jdbcUrl(), infrastructure.jdbcUsername(), infrastructure.jdbcPassword());
    }

    private static String sqlState(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.sql.SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
        }
        return null;
    }
}
