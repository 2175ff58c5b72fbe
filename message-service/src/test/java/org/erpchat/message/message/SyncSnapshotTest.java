package org.erpchat.message.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.erpchat.message.Api;
import org.erpchat.message.MessageServiceTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * A sync reads the messages past the client's positions and, in a second statement, brings positions claimed beyond a
 * conversation's end back to its last {@code seq}. A send that commits between the two must not be in the second's
 * answer and missing from the first's: the client would be told it has a message it never got.
 */
class SyncSnapshotTest extends MessageServiceTest {

    @Autowired
    private DataSource dataSource;

    @Test
    void aSendCommittedBetweenTheSyncsTwoStatementsIsNotSkipped() {
        long me = knownUser();
        long friend = knownUser();
        long conversation = sendPrivate(friend, me, "before 1").longValue("conversation_id");
        sendPrivate(friend, me, "before 2");
        sendPrivate(friend, me, "before 3");
        // The client claims more than exists (state kept across a restore of the database).
        Map<Long, Long> claimed = Map.of(conversation, 1_000_000L);
        AtomicBoolean sentBetween = new AtomicBoolean();
        MessageStore store = storeThatSendsAfterTheFirstStatement(() -> {
            Api.Response sent = sendPrivate(friend, me, "between the statements");
            assertThat(sent.status()).as(sent.toString()).isIn(200, 201);
            sentBetween.set(true);
        });

        MessageStore.Page page = store.missedBy(List.of(new MessageStore.MissedQuery(me, claimed, 100, null)))
                .get(0);

        assertThat(sentBetween).as("the send ran between the statements").isTrue();
        assertThat(lastSeq(conversation)).isEqualTo(4L);
        // Either the page has message 4, or the position it answers stops below it: never 4 without the message.
        long answered = page.ends().get(conversation);
        boolean delivered = page.messages().stream()
                .anyMatch(message -> message.conversationId() == conversation && message.seq() == 4);
        assertThat(delivered || answered < 4)
                .as("position %d answered, messages %s", answered, page.messages())
                .isTrue();
        assertThat(answered).isEqualTo(3L);
    }

    /**
     * The service's own store over the same database, except that the first sync statement's execution is followed
     * by {@code between} (once), before the store goes on.
     */
    private MessageStore storeThatSendsAfterTheFirstStatement(Runnable between) {
        AtomicBoolean fired = new AtomicBoolean();
        DataSource hooked = (DataSource) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    Object result = invoke(method, dataSource, args);
                    return result instanceof Connection connection ? hooked(connection, fired, between) : result;
                });
        return new MessageStore(JdbcClient.create(hooked), new DataSourceTransactionManager(hooked));
    }

    private static Connection hooked(Connection connection, AtomicBoolean fired, Runnable between) {
        return (Connection) Proxy.newProxyInstance(
                SyncSnapshotTest.class.getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    Object result = invoke(method, connection, args);
                    if (result instanceof PreparedStatement statement
                            && method.getName().equals("prepareStatement")
                            && ((String) args[0]).contains("jsonb_array_elements")) {
                        return hooked(statement, fired, between);
                    }
                    return result;
                });
    }

    private static PreparedStatement hooked(PreparedStatement statement, AtomicBoolean fired, Runnable between) {
        return (PreparedStatement) Proxy.newProxyInstance(
                SyncSnapshotTest.class.getClassLoader(),
                new Class<?>[] {PreparedStatement.class},
                (proxy, method, args) -> {
                    Object result = invoke(method, statement, args);
                    if (method.getName().equals("executeQuery") && fired.compareAndSet(false, true)) {
                        between.run();
                    }
                    return result;
                });
    }

    private static Object invoke(java.lang.reflect.Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
