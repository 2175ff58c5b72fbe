package org.erpchat.gateway.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the web app served by the gateway finds what it calls from the browser, under {@code chat.gateway.web}. Empty
 * means the gateway's own origin, which is how nginx serves everything in docker-compose and Kubernetes; the local
 * stack runs each service on its own port and sets all three.
 *
 * @param devTokenUrl the development token issuer ({@code POST {"user_id", "name"}}); empty means there is none and
 *     the login page asks for a token instead. Only the local stack sets it
 * @param messageServiceUrl base URL of message-service's REST API, e.g. {@code http://localhost:8081}
 * @param presenceServiceUrl base URL of presence-service's REST API, e.g. {@code http://localhost:8082}
 */
@ConfigurationProperties("chat.gateway.web")
record WebAppProperties(
        @DefaultValue("") String devTokenUrl,
        @DefaultValue("") String messageServiceUrl,
        @DefaultValue("") String presenceServiceUrl) {}
