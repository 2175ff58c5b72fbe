package org.erpchat.support.web;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Browser origins allowed to call a service's REST API directly (for instance the web app served by the gateway on
 * another port). Empty by default: no cross-origin calls.
 *
 * @param allowedOrigins exact origins such as {@code https://erp.example.com}
 * @param maxAge how long browsers may cache a preflight answer
 */
@ConfigurationProperties("chat.web.cors")
public record CorsProperties(
        @DefaultValue List<String> allowedOrigins,
        @DefaultValue("30m") Duration maxAge) {}
