package org.erpchat.message.message;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.erpchat.message.conversation.ConversationRef;
import org.erpchat.message.conversation.ConversationStore;
import org.erpchat.message.conversation.GroupMembers;
import org.erpchat.message.conversation.PrivateConversations;
import org.erpchat.message.outbox.Outbox;
import org.erpchat.message.ratelimit.SendRateLimiter;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Several sends stored in one transaction (group commit), all or none: the send path of {@link MessageSender} for the
 * common case, at a fraction of its cost per message. One statement claims the sequence numbers of every conversation
 * involved, one reads the groups' members, one inserts every message, outbox entry and read marker, and one commit
 * (one WAL flush) covers them all: four round trips for the batch instead of three per message
 * (docs/benchmarks.md section 7).
 *
 * <p>Only the common case is stored here: every send valid, allowed by the rate limit, new (not a repeat), and into a
 * conversation that exists and the sender belongs to, private conversations already known. When any send is not, or
 * the transaction fails for any reason, nothing is stored, every rate-limit token taken is given back, and the caller
 * sends them one by one with {@link MessageSender#send}, which handles every other case exactly as before. So this
 * class decides nothing a single send would decide differently: it only stores the same rows with fewer round trips.
 *
 * <p>Ordering: the sends of one conversation get consecutive numbers in the order given, and their outbox entries are
 * written in that order under the conversation's row lock, as a single send's are.
 */
@Component
public class SendBatches {

    private final SendValidator validator;
    private final SendRateLimiter rateLimiter;
    private final ConversationStore conversations;
    private final GroupMembers groupMembers;
    private final MessageStore messages;
    private final PrivateConversations privateConversations;
    private final Outbox outbox;
    private final MessageMetrics metrics;
    private final TransactionTemplate transaction;
    private final Clock clock;
    private final ConversationStore.WaitBounds bounds;

    SendBatches(
            SendValidator validator,
            SendRateLimiter rateLimiter,
            ConversationStore conversations,
            GroupMembers groupMembers,
            MessageStore messages,
            PrivateConversations privateConversations,
            Outbox outbox,
            MessageMetrics metrics,
            PlatformTransactionManager transactionManager,
            Clock clock,
            SendTransactionProperties limits) {
        this.validator = validator;
        this.rateLimiter = rateLimiter;
        this.conversations = conversations;
        this.groupMembers = groupMembers;
        this.messages = messages;
        this.privateConversations = privateConversations;
        this.outbox = outbox;
        this.metrics = metrics;
        this.transaction = new TransactionTemplate(transactionManager);
        this.clock = clock;
        this.bounds = limits.waitBounds();
    }

    /**
     * Stores all of {@code requests} in one transaction, or none of them.
     *
     * @return each request's stored message, in the order given; empty when they were not stored together (nothing
     *     was stored and no rate-limit token is held: send them one by one)
     */
    public Optional<List<SendResult>> sendTogether(List<SendRequest> requests) {
        List<Send> sends = new ArrayList<>(requests.size());
        for (SendRequest request : requests) {
            Optional<Send> send = knownSend(request);
            if (send.isEmpty()) {
                return counted(Optional.empty(), requests);
            }
            sends.add(send.get());
        }
        return counted(storeTogether(sends), requests);
    }

    /**
     * Whether {@code request} can be stored with others: valid, named by its client, into a conversation known to
     * exist, from a sender this instance has not just refused. One that cannot is for the single send path, which
     * decides and answers it; leaving it out of a batch spares the others the single path too (a client sending past
     * its limit would otherwise send every batch of its lane one by one until its refusal ends).
     */
    public boolean canJoin(SendRequest request) {
        return joining(request).isPresent();
    }

    /**
     * Those of {@code requests} that {@link #canJoin can join} stored together in one transaction, the others left
     * out. Only for sends whose relative order does not matter, such as concurrent REST requests: the sends of a
     * sender left out may be stored after those of the same sender stored here.
     *
     * @return per request, in the order given: its stored message, or empty for each one not stored here (left out,
     *     or all of them when fewer than two could join or they were not stored together); nothing of an empty one
     *     was stored and no rate-limit token is held for it
     */
    public List<Optional<SendResult>> sendThoseThatCan(List<SendRequest> requests) {
        List<Integer> positions = new ArrayList<>(requests.size());
        List<Send> sends = new ArrayList<>(requests.size());
        for (int i = 0; i < requests.size(); i++) {
            Optional<Send> send = joining(requests.get(i));
            if (send.isPresent()) {
                positions.add(i);
                sends.add(send.get());
            }
        }
        List<Optional<SendResult>> results = new ArrayList<>(Collections.nCopies(requests.size(), Optional.empty()));
        if (sends.size() < 2) {
            return results;
        }
        counted(storeTogether(sends), requests).ifPresent(stored -> {
            for (int i = 0; i < positions.size(); i++) {
                results.set(positions.get(i), Optional.of(stored.get(i)));
            }
        });
        return results;
    }

    /** The batch's outcome, counted: stored together (its size), or split into single sends. */
    private Optional<List<SendResult>> counted(Optional<List<SendResult>> results, List<SendRequest> requests) {
        // A batch's sends are all commands or all REST sends.
        boolean commands = requests.get(0).origin() != null;
        results.ifPresentOrElse(stored -> metrics.batched(stored.size(), commands), () -> metrics.split(commands));
        return results;
    }

    /** The send as it joins a batch, or empty when it cannot ({@link #canJoin}). */
    private Optional<Send> joining(SendRequest request) {
        if (rateLimiter.isRefusing(request.senderId(), request.issuedAt())) {
            return Optional.empty();
        }
        return knownSend(request);
    }

    private Optional<List<SendResult>> storeTogether(List<Send> sends) {
        List<SendRateLimiter.UserSend> senders = new ArrayList<>(sends.size());
        for (Send send : sends) {
            senders.add(new SendRateLimiter.UserSend(
                    send.request().senderId(), send.request().issuedAt()));
        }
        if (!rateLimiter.tryAcquireAll(senders)) {
            return Optional.empty();
        }
        List<SendResult> results;
        try {
            results = transaction.execute(status -> store(sends));
        } catch (RuntimeException | Error e) {
            // A repeat, a sender who left a group, a failing database, a bug (an Error too, which rolled the
            // transaction back as well): each case is the single send's to handle.
            refund(sends);
            return Optional.empty();
        }
        for (int i = 0; i < results.size(); i++) {
            metrics.sent(
                    results.get(i).message().conversationType(),
                    sends.get(i).request().origin() != null);
        }
        return Optional.of(results);
    }

    /** A valid send into a conversation that exists (as far as we know), or empty. */
    private Optional<Send> knownSend(SendRequest unchecked) {
        SendRequest request;
        try {
            request = validator.validate(unchecked);
        } catch (SendRejectedException e) {
            return Optional.empty();
        }
        if (request.clientMsgId() == null) {
            return Optional.empty();
        }
        Optional<Long> conversation = request.isPrivate()
                ? privateConversations.known(request.senderId(), request.receiverId())
                : Optional.of(request.groupId());
        return conversation.map(id -> new Send(request, id));
    }

    private List<SendResult> store(List<Send> sends) {
        Instant createdAt = MessageStore.truncate(clock.instant());
        SortedMap<Long, Integer> counts = new TreeMap<>();
        for (Send send : sends) {
            counts.merge(send.conversationId(), 1, Integer::sum);
        }
        Map<Long, ConversationRef> claimed = new HashMap<>();
        Map<Long, Long> nextSeq = new HashMap<>();
        for (ConversationRef conversation : conversations.claimSeqs(counts, createdAt, bounds)) {
            claimed.put(conversation.id(), conversation);
            nextSeq.put(conversation.id(), conversation.lastSeq() - counts.get(conversation.id()) + 1);
        }
        List<ConversationRef> groups =
                claimed.values().stream().filter(ConversationRef::isGroup).toList();
        Map<Long, List<Long>> groupMembers = groups.isEmpty() ? Map.of() : this.groupMembers.of(groups);
        List<MessageView> stored = new ArrayList<>(sends.size());
        List<Outbox.Entry> announcements = new ArrayList<>(sends.size());
        for (Send send : sends) {
            SendRequest request = send.request();
            ConversationRef conversation = claimed.get(send.conversationId());
            if (conversation == null || conversation.isGroup() == request.isPrivate()) {
                throw new NotTogether("no such conversation");
            }
            List<Long> members = conversation.isGroup()
                    ? groupMembers.getOrDefault(conversation.id(), List.of())
                    : List.of(conversation.userLow(), conversation.userHigh());
            if (Collections.binarySearch(members, request.senderId()) < 0) {
                throw new NotTogether("not a member");
            }
            long seq = nextSeq.merge(conversation.id(), 1L, Long::sum) - 1;
            MessageView message = MessageAppender.view(conversation, seq, request, createdAt);
            stored.add(message);
            announcements.add(outbox.entry(MessageAppender.created(message, members, request.origin())));
        }
        messages.insertAll(stored, announcements);
        return stored.stream().map(message -> new SendResult(message, true)).toList();
    }

    private void refund(List<Send> sends) {
        for (Send send : sends) {
            rateLimiter.refund(send.request().senderId(), send.request().issuedAt());
        }
    }

    /** A validated send and the conversation it goes to. */
    private record Send(SendRequest request, long conversationId) {}

    /** Thrown inside the transaction to roll the batch back: one of its sends is for the single send path. */
    private static final class NotTogether extends RuntimeException {
        NotTogether(String reason) {
            super(reason, null, false, false);
        }
    }
}
