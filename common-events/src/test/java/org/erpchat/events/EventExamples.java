package org.erpchat.events;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One fully populated example of every event type; the contract tests pin their JSON. */
final class EventExamples {

    static final Instant AT = Instant.parse("2026-11-25T08:30:00.123Z");
    static final SendOrigin ORIGIN = new SendOrigin("gw-1", "s-42");

    static final Map<EventType, ChatEvent> ALL = Map.ofEntries(
            Map.entry(
                    EventType.SEND_MESSAGE_COMMAND,
                    new SendMessageCommand(7, 9L, null, MessageType.TEXT, "Hello!", null, "c-1", ORIGIN, AT)),
            Map.entry(
                    EventType.MESSAGE_CREATED,
                    new MessageCreated(
                            "0193a5f0-7c1e-7000-8000-000000000001",
                            12,
                            ConversationKind.GROUP,
                            5,
                            7,
                            List.of(7L, 9L, 11L),
                            MessageType.FILE,
                            "report.pdf",
                            "file-77",
                            "c-1",
                            AT,
                            ORIGIN)),
            Map.entry(
                    EventType.MESSAGE_REJECTED,
                    new MessageRejected(
                            7, "c-2", null, 12L, RejectReason.RATE_LIMITED, "too many messages", 1500L, ORIGIN, AT)),
            Map.entry(
                    EventType.GROUP_MEMBERSHIP_CHANGED,
                    new GroupMembershipChanged(
                            12,
                            "Sales",
                            GroupMembershipChanged.Change.MEMBERS_ADDED,
                            7,
                            List.of(11L),
                            List.of(7L, 9L, 11L),
                            AT)),
            Map.entry(
                    EventType.CONVERSATION_READ,
                    new ConversationRead(3, ConversationKind.PRIVATE, 9, 40, List.of(9L, 7L), AT)),
            Map.entry(EventType.CONNECTION_OPENED, new ConnectionOpened("gw-1", "s-42", 7, AT)),
            Map.entry(EventType.CONNECTION_CLOSED, new ConnectionClosed("gw-1", "s-42", 7, AT)),
            Map.entry(
                    EventType.GATEWAY_HEARTBEAT,
                    new GatewayHeartbeat(
                            "gw-1", AT, 0, 2, List.of(new SessionRef("s-42", 7), new SessionRef("s-43", 9)))),
            Map.entry(
                    EventType.TYPING_INDICATED,
                    new TypingIndicated(3, ConversationKind.PRIVATE, 7, List.of(9L), true, AT)),
            Map.entry(EventType.PRESENCE_CHANGED, new PresenceChanged(7, false, AT, AT)),
            Map.entry(
                    EventType.USER_TYPING, new UserTyping(12, ConversationKind.GROUP, 7, List.of(9L, 11L), false, AT)));

    private EventExamples() {}
}
