package org.erpchat.gateway.ws;

import java.time.Duration;
import java.time.Instant;
import org.erpchat.gateway.config.GatewayProperties;
import org.erpchat.gateway.replay.CatchUp;
import org.erpchat.gateway.session.ChatSession;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

/**
 * The wait for a declared {@code resume}: a client that said, when connecting, that it will resume has its live
 * messages held until its {@code resume} arrives, or until {@code chat.gateway.replay.resume-window} passes without
 * one (each frame of a resume in several frames gives it a whole window again). Then what was held is released, so a
 * client that broke its word still gets its messages. Clients that did not declare a resume have no window at all.
 */
@Component
class ResumeWindows {

    private final TaskScheduler scheduler;
    private final CatchUp catchUp;
    private final Duration window;

    ResumeWindows(TaskScheduler scheduler, CatchUp catchUp, GatewayProperties properties) {
        this.scheduler = scheduler;
        this.catchUp = catchUp;
        this.window = properties.replay().resumeWindow();
    }

    /** Starts holding the session's live messages until its resume. */
    void open(ChatSession session) {
        session.stream().expectResume(deadline());
        checkAfter(session, window.toNanos());
    }

    /** The nanotime deadline a resume frame received now gives the rest of the resume. */
    long deadline() {
        return System.nanoTime() + window.toNanos();
    }

    private void checkAfter(ChatSession session, long nanos) {
        scheduler.schedule(() -> check(session), Instant.now().plusNanos(nanos));
    }

    private void check(ChatSession session) {
        if (session.isClosing()) {
            return;
        }
        long left = session.stream().resumeWindowLeft(System.nanoTime());
        if (left > 0) {
            checkAfter(session, left);
        } else if (session.stream().endResumeWindow()) {
            catchUp.start(session);
        }
    }
}
