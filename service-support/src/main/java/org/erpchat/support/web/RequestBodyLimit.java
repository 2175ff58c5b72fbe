package org.erpchat.support.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.PathContainer;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Refuses request bodies larger than {@link RequestBodyProperties} allow with 413, before anything reads them: a body
 * that announces its length is refused at once; one sent in chunks is cut off when it passes the limit, and its read
 * fails with {@link TooLarge}, which the exception handler answers with 413 too. The answer is the error page's
 * problem detail ({@code invalid_request}). A body that is still arriving {@code read-timeout} after the request
 * reached this filter fails its next read with {@link TooSlow}, answered 408; so does one that stops arriving for
 * {@code read-timeout} (on Tomcat, {@link StalledBodies}: the container's own wait for the next bytes ends then, and
 * Tomcat writes the 408). The connection then closes without the rest of the body being read
 * ({@link AbandonedBodyValve}): a thread waits for a body at most {@code read-timeout} from the headers, and for one
 * that stops arriving just before that deadline, one {@code read-timeout} more.
 */
final class RequestBodyLimit extends OncePerRequestFilter {

    /**
     * Set on a request whose body was given up (a literal, not the valve's: this filter also runs where Tomcat's
     * classes are absent).
     */
    static final String ABANDONED = "org.erpchat.support.web.RequestBodyLimit.abandoned";

    private final long maxSize;
    private final List<PathPattern> largePaths;
    private final long maxLargeSize;
    private final long readTimeoutNanos;

    RequestBodyLimit(RequestBodyProperties properties) {
        this.maxSize = properties.maxSize().toBytes();
        this.largePaths = properties.largePaths().stream()
                .map(PathPatternParser.defaultInstance::parse)
                .toList();
        this.maxLargeSize = properties.maxLargeSize().toBytes();
        this.readTimeoutNanos = properties.readTimeout().toNanos();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long limit = limitFor(request);
        if (limit <= 0) {
            chain.doFilter(request, response);
            return;
        }
        long length = request.getContentLengthLong();
        if (length > limit) {
            response.sendError(HttpStatus.CONTENT_TOO_LARGE.value());
            return;
        }
        if (length == 0
                || (length < 0
                        && request.getHeader("Transfer-Encoding") == null
                        && request.getProtocol().startsWith("HTTP/1"))) {
            chain.doFilter(request, response); // no body (HTTP/2 may send one with neither header)
            return;
        }
        // A declared length is already checked; the stream still counts (harmless) and watches the time.
        chain.doFilter(new Limited(request, limit, System.nanoTime() + readTimeoutNanos), response);
    }

    private long limitFor(HttpServletRequest request) {
        PathContainer path = PathContainer.parsePath(
                request.getRequestURI().substring(request.getContextPath().length()));
        for (PathPattern pattern : largePaths) {
            if (pattern.matches(path)) {
                return maxLargeSize;
            }
        }
        return maxSize;
    }

    /** Thrown when a body without a declared length passes the limit. */
    static final class TooLarge extends IOException {
        TooLarge(long limit) {
            super("The request body is larger than " + limit + " bytes");
        }
    }

    /** Thrown when a body is still arriving at its deadline. */
    static final class TooSlow extends IOException {
        TooSlow() {
            super("The request body did not arrive in time");
        }

        /** The container's own wait for the next bytes ran out first (Tomcat answers 408 itself then). */
        TooSlow(IOException timedOut) {
            super("The request body did not arrive in time", timedOut);
        }
    }

    /**
     * A request whose body stream fails once more than {@code limit} bytes have been read from it, or when a read
     * begins or ends after {@code deadline} (nanotime).
     */
    private static final class Limited extends HttpServletRequestWrapper {

        private final long limit;
        private final long deadline;
        private ServletInputStream stream;

        Limited(HttpServletRequest request, long limit, long deadline) {
            super(request);
            this.limit = limit;
            this.deadline = deadline;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new Counting(
                        super.getInputStream(), limit, deadline, () -> setAttribute(ABANDONED, Boolean.TRUE));
            }
            return stream;
        }
    }

    private static final class Counting extends ServletInputStream {

        private final ServletInputStream in;
        private final long limit;
        private final long deadline;
        private final Runnable abandon;
        private long read;

        Counting(ServletInputStream in, long limit, long deadline, Runnable abandon) {
            this.in = in;
            this.limit = limit;
            this.deadline = deadline;
            this.abandon = abandon;
        }

        @Override
        public int read() throws IOException {
            checkTime();
            int b;
            try {
                b = in.read();
            } catch (IOException e) {
                throw timedOut(e);
            }
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            checkTime();
            int n;
            try {
                n = in.read(buffer, offset, length);
            } catch (IOException e) {
                throw timedOut(e);
            }
            if (n > 0) {
                count(n);
            }
            return n;
        }

        /**
         * A read that failed because the body stopped arriving (the socket's wait ran out, {@link StalledBodies}) gives
         * the body up as one still arriving at its deadline is; any other failure is passed on as it is.
         */
        private IOException timedOut(IOException e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
                if (cause instanceof SocketTimeoutException) {
                    abandon.run();
                    return new TooSlow(e);
                }
            }
            return e;
        }

        private void count(int n) throws IOException {
            read += n;
            if (read > limit) {
                throw new TooLarge(limit);
            }
            checkTime();
        }

        /** A body read in full is not refused for its last read: only one still arriving is. */
        private void checkTime() throws TooSlow {
            if (System.nanoTime() - deadline > 0 && !in.isFinished()) {
                abandon.run();
                throw new TooSlow();
            }
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }
    }
}
