package org.erpchat.gateway.delivery;

import java.util.List;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * The gateway's two Kafka inputs. Every gateway instance reads every partition of both topics (its consumer group is
 * its own, named after its id) starting from the live end: what happened before it started is history, and history
 * comes from message-service on resume. Each listener has a group of its own, so one never rebalances the other. A
 * record that cannot be read or routed goes to the topic's dead-letter topic ({@link DeadLetters}).
 */
@Component
class EventListeners {

    private static final Logger log = LoggerFactory.getLogger(EventListeners.class);

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

    EventListeners(
            MessageRouter router,
            SendRelay sends,
            ReadRelay reads,
            PresenceFanOut presence,
            TypingRelay typing,
            DeadLetters deadLetters) {
        this.router = router;
        this.sends = sends;
        this.reads = reads;
        this.presence = presence;
        this.typing = typing;
        this.deadLetters = deadLetters;
    }

    @KafkaListener(
            id = "gateway-message-events",
            topics = Topics.MESSAGE_EVENTS,
            groupId = "gateway-#{@gatewayIdentity.id()}-messages",
            properties = "auto.offset.reset=latest")
    void onMessageEvent(ChatEvent event) {
        if (event instanceof MessageCreated created) {
            router.messageCreated(created);
        } else if (event instanceof MessageRejected rejected) {
            sends.rejected(rejected);
        } else if (event instanceof GroupMembershipChanged changed) {
            router.membershipChanged(changed);
        } else if (event instanceof ConversationRead read) {
            reads.deliver(read);
        } else {
            log.warn("Ignoring {} on {}", event.eventType().wireName(), Topics.MESSAGE_EVENTS);
        }
        deadLetters.read(Topics.MESSAGE_EVENTS);
    }

    @KafkaListener(
            id = "gateway-presence-events",
            topics = Topics.PRESENCE_EVENTS,
            groupId = "gateway-#{@gatewayIdentity.id()}-presence",
            properties = "auto.offset.reset=latest")
    void onPresenceEvent(ChatEvent event) {
        if (event instanceof PresenceChanged changed) {
            presence.presenceChanged(changed);
        } else if (event instanceof UserTyping userTyping) {
            typing.deliver(userTyping);
        } else {
            log.warn("Ignoring {} on {}", event.eventType().wireName(), Topics.PRESENCE_EVENTS);
        }
        deadLetters.read(Topics.PRESENCE_EVENTS);
    }
}
