package org.erpchat.gateway.delivery;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.erpchat.events.ChatEvent;
import org.erpchat.events.ConversationRead;
import org.erpchat.events.GroupMembershipChanged;
import org.erpchat.events.MessageCreated;
import org.erpchat.events.MessageRejected;
import org.erpchat.events.PresenceChanged;
import org.erpchat.events.Topics;
import org.erpchat.events.UserTyping;
import org.erpchat.gateway.presence.PresenceFanOut;
import org.erpchat.gateway.send.SendRelay;
import org.erpchat.gateway.typing.TypingRelay;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.ConsumerSeekAware;
import org.springframework.stereotype.Component;

/**
 * The gateway's two Kafka inputs. Every gateway instance reads every partition of both topics (its consumer group is
 * its own, named after its id) starting from its own start: what happened before is history, and history comes from
 * message-service on resume. Each listener has a group of its own, so one never rebalances the other. A
 * record that cannot be read or routed goes to the topic's dead-letter topic ({@link DeadLetters}). No offsets are
 * committed: where the listeners are is kept in memory ({@link ReadPositions}).
 */
@Component
class EventListeners implements ConsumerSeekAware {

    /** The consumer groups of the instance {@code instanceId}: as in the listeners' {@code groupId}s below. */
    static List<String> consumerGroups(String instanceId) {
        return List.of("gateway-" + instanceId + "-messages", "gateway-" + instanceId + "-presence");
    }

    private final MessageRouter router;
    private final SendRelay sends;
    private final PresenceFanOut presence;
    private final TypingRelay typing;
    private final ReadPositions positions;

    /**
     * How far before the gateway's start its consumers begin. Records carry their producer's clock, which may be a
     * little behind this one; but a client of the seed's kind keeps no positions, so whatever this reads from before
     * it connected, and another gateway already gave it, it gets twice. Seconds, not more: servers keep their clocks
     * far closer than that, and a restarted gateway takes longer than that to start.
     */
    static final Duration START_MARGIN = Duration.ofSeconds(5);

    /** Epoch millis of the first record a partition never read before is read from. */
    private final long readFrom = System.currentTimeMillis() - START_MARGIN.toMillis();

    EventListeners(
            MessageRouter router,
            SendRelay sends,
            PresenceFanOut presence,
            TypingRelay typing,
            ReadPositions positions) {
        this.router = router;
        this.sends = sends;
        this.presence = presence;
        this.typing = typing;
        this.positions = positions;
    }

    /**
     * Partitions this run has read continue where it left them. A partition it has never read starts at the first
     * record stamped {@link #START_MARGIN} before this gateway was created, not at the live end: the gateway accepts
     * connections before its consumers have joined their groups (seconds, on a busy broker), and a message stored in
     * between would otherwise reach none of the clients connected meanwhile, and never be replayed to those that
     * resumed before it was stored (their positions move past it with the next message). Repeats are harmless: every
     * session drops a message at or below its position.
     */
    @Override
    public void onPartitionsAssigned(Map<TopicPartition, Long> assignments, ConsumerSeekCallback callback) {
        List<TopicPartition> unread = positions.resume(assignments.keySet(), callback::seek);
        if (!unread.isEmpty()) {
            callback.seekToTimestamp(unread, readFrom);
        }
    }

    @KafkaListener(
            id = "gateway-message-events",
            topics = Topics.MESSAGE_EVENTS,
            groupId = "gateway-#{@gatewayIdentity.id()}-messages",
            properties = "auto.offset.reset=latest")
    void onMessageEvent(ConsumerRecord<String, ChatEvent> record) {
        ChatEvent event = record.value();
        if (event instanceof MessageCreated created) {
            router.messageCreated(created);
        } else if (event instanceof MessageRejected rejected) {
            sends.rejected(rejected);
        } else if (event instanceof GroupMembershipChanged changed) {
            router.membershipChanged(changed);
        } else if (event instanceof ConversationRead read) {
            router.conversationRead(read);
        } else {
            throw misplaced(event, Topics.MESSAGE_EVENTS);
        }
        positions.handled(record);
    }

    @KafkaListener(
            id = "gateway-presence-events",
            topics = Topics.PRESENCE_EVENTS,
            groupId = "gateway-#{@gatewayIdentity.id()}-presence",
            properties = "auto.offset.reset=latest")
    void onPresenceEvent(ConsumerRecord<String, ChatEvent> record) {
        ChatEvent event = record.value();
        if (event instanceof PresenceChanged changed) {
            presence.presenceChanged(changed);
        } else if (event instanceof UserTyping userTyping) {
            typing.deliver(userTyping);
        } else {
            throw misplaced(event, Topics.PRESENCE_EVENTS);
        }
        positions.handled(record);
    }

    /**
     * A readable event of a type that does not belong on this topic (its type header named it, whatever the topic): an
     * unreadable record like any other, dead-lettered through the error handler and counted, not logged each time.
     */
    private static IllegalArgumentException misplaced(ChatEvent event, String topic) {
        return new IllegalArgumentException(event.eventType().wireName() + " does not belong on " + topic);
    }
}
