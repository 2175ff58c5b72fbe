package org.erpchat.support.web;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * How large a request body a service reads. A body is parsed into objects several times its size, so one request
 * with a huge JSON list could exhaust the heap of the whole service; beyond these sizes it is refused with 413 before
 * it is read.
 *
 * @param maxSize the largest body of any request (0: no limit)
 * @param largePaths path patterns (Spring MVC's syntax, such as {@code /api/sync/batch}) whose bodies may reach
 *     {@code maxLargeSize}
 * @param maxLargeSize the largest body of a request to one of {@code largePaths}
 * @param readTimeout the longest a request's body may take to arrive, counted from when the service has its headers; a
 *     body still arriving then is refused with 408 and its connection closed, and so is one that stops arriving for
 *     this long (on Tomcat, the container's wait for the next bytes is cut to it: {@link StalledBodies}). Without it a
 *     client that sends a body a byte at a time, each within the container's connection timeout, holds a request
 *     thread for as long as it likes.
 */
@ConfigurationProperties("chat.web.request-body")
public record RequestBodyProperties(
        @DefaultValue("1MB") DataSize maxSize,
        @DefaultValue List<String> largePaths,
        @DefaultValue("8MB") DataSize maxLargeSize,
        @DefaultValue("30s") Duration readTimeout) {}
