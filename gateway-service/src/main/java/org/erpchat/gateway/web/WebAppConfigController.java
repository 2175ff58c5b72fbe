package org.erpchat.gateway.web;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /config.json}: tells the web app (static/index.html, app.js) where the REST services and the development
 * token issuer are. Nothing secret: it holds the URLs the browser calls anyway.
 */
@RestController
class WebAppConfigController {

    private final WebAppProperties properties;

    WebAppConfigController(WebAppProperties properties) {
        this.properties = properties;
    }

    @GetMapping(path = "/config.json", produces = "application/json")
    ResponseEntity<Map<String, String>> config() {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("dev_token_url", trimSlash(properties.devTokenUrl()));
        body.put("message_service_url", trimSlash(properties.messageServiceUrl()));
        body.put("presence_service_url", trimSlash(properties.presenceServiceUrl()));
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(body);
    }

    private static String trimSlash(String url) {
        String value = url == null ? "" : url.strip();
        return value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
    }
}
