package org.erpchat.gateway.delivery;

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
import org.erpchat.gateway.read.ReadRelay;
import org.erpchat.gateway.send.SendRelay;
import org.erpchat.gateway.typing.TypingRelay;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.ConsumerSeekAware;
import org.springframework.stereotype.Component;

/**
 * The gateway's two Kafka inputs. Every gateway instance reads every partition of both topics (its consumer group is
 * its own, named after its id) starting from the live end: what happened before it started is history, and history
 * comes from message-service on resume. Each listener has a group of its own, so one never rebalances the other. A
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
    private final ReadRelay reads;
    private final PresenceFanOut presence;
    private final TypingRelay typing;
    private final DeadLetters deadLetters;
    private final ReadPositions positions;

    EventListeners(
            MessageRouter router,
            SendRelay sends,
            ReadRelay reads,
            PresenceFanOut presence,
            TypingRelay typing,
            DeadLetters deadLetters,
            ReadPositions positions) {
        this.router = router;
        this.sends = sends;
        this.reads = reads;
        this.presence = presence;
        this.typing = typing;
        this.deadLetters = deadLetters;
        this.positions = positions;
    }

    @Override
    public void onPartitionsAssigned(Map<TopicPartition, Long> assignments, ConsumerSeekCallback callback) {
        positions.resume(assignments.keySet(), callback::seek);
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
            reads.deliver(read);
        } else {
            throw misplaced(event, Topics.MESSAGE_EVENTS);
        }
        deadLetters.read(Topics.MESSAGE_EVENTS);
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
        deadLetters.read(Topics.PRESENCE_EVENTS);
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
