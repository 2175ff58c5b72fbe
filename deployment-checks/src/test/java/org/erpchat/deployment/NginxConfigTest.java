package org.erpchat.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.erpchat.deployment.Nginx.Directive;
import org.junit.jupiter.api.Test;

/** infra/nginx/nginx.conf: routes, the WebSocket upgrade, and no token in any log. */
class NginxConfigTest {

    private static final Directive CONFIG = Nginx.parse(Repo.read("infra/nginx/nginx.conf"));

    private static Directive location(String path) {
        return CONFIG.all("location")
                .filter(l -> l.args().get(l.args().size() - 1).equals(path))
                .findFirst()
                .orElseThrow(() -> new AssertionError("nginx.conf has no location " + path));
    }

    /** The compose service a location proxies to, through its upstream block. */
    private static String target(Directive location) {
        String upstream =
                location.children("proxy_pass").findFirst().orElseThrow().arg(0).replace("http://", "");
        Directive block = CONFIG.all("upstream")
                .filter(u -> u.arg(0).equals(upstream))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no upstream " + upstream));
        List<String> servers = block.children("server")
                .map(s -> s.arg(0).split(":")[0])
                .distinct()
                .toList();
        assertThat(servers).hasSize(1);
        return servers.get(0);
    }

    @Test
    void routesTheWebSocketAndTheApisToTheirServices() {
        assertThat(target(location("/ws"))).isEqualTo("gateway-service");
        assertThat(target(location("/"))).isEqualTo("gateway-service");
        assertThat(target(location("/api/presence/"))).isEqualTo("presence-service");
        assertThat(target(location("/api/"))).isEqualTo("message-service");
    }

    @Test
    void upgradesWebSocketConnections() {
        Directive ws = location("/ws");
        assertThat(ws.children("proxy_http_version").findFirst().orElseThrow().arg(0))
                .isEqualTo("1.1");
        Map<String, String> headers = ws.children("proxy_set_header")
                .collect(Collectors.toMap(d -> d.arg(0).toLowerCase(), d -> d.arg(1)));
        assertThat(headers).containsEntry("upgrade", "$http_upgrade");
        String connection = headers.get("connection");
        assertThat(connection).isNotNull();
        if (connection.startsWith("$")) {
            // A map from $http_upgrade, as usual.
            assertThat(CONFIG.all("map").filter(m -> m.args().equals(List.of("$http_upgrade", connection))))
                    .hasSize(1);
        } else {
            assertThat(connection).isEqualToIgnoringCase("upgrade");
        }
        // proxy_set_header in a location replaces the inherited ones: the forwarding headers must be repeated.
        assertThat(headers).containsKeys("host", "x-forwarded-for", "x-forwarded-proto");
    }

    @Test
    void webSocketTimeoutsOutliveTheGatewayKeepalive() {
        Duration idle = ServiceModule.named("gateway-service").duration("chat.gateway.keepalive.idle-timeout");
        for (String timeout : List.of("proxy_read_timeout", "proxy_send_timeout")) {
            String value =
                    location("/ws").children(timeout).findFirst().orElseThrow().arg(0);
            assertThat(ServiceModule.parseDuration(value)).as(timeout).isGreaterThan(idle);
        }
    }

    @Test
    void neverLogsQueryStrings() {
        // Clients written for the seed send their JWT as /ws?token=...
        Pattern leaking =
                Pattern.compile("\\$(request|request_uri|args|query_string|is_args|arg_[a-z0-9_]+)(?![a-z0-9_])");
        List<Directive> formats = CONFIG.all("log_format").toList();
        assertThat(formats).isNotEmpty();
        for (Directive format : formats) {
            String text =
                    String.join(" ", format.args().subList(1, format.args().size()));
            assertThat(leaking.matcher(text).find())
                    .as("log_format %s logs a query string: %s", format.arg(0), text)
                    .isFalse();
        }
        List<String> formatNames = formats.stream().map(f -> f.arg(0)).toList();
        List<Directive> accessLogs = CONFIG.all("access_log").toList();
        assertThat(accessLogs).isNotEmpty();
        for (Directive log : accessLogs) {
            if (!log.arg(0).equals("off")) {
                // Without a format argument nginx uses "combined", which logs $request.
                assertThat(log.args())
                        .as("access_log %s names a format", log.args())
                        .hasSizeGreaterThan(1);
                assertThat(formatNames).contains(log.arg(1));
            }
        }
        // Error log lines quote the request line, query string included: the WebSocket path logs only critical errors.
        assertThat(location("/ws")
                        .children("error_log")
                        .findFirst()
                        .orElseThrow()
                        .args())
                .last()
                .isIn("crit", "alert", "emerg");
    }

    @Test
    void keepsTheActuatorInside() {
        assertThat(location("/actuator")
                        .children("return")
                        .findFirst()
                        .orElseThrow()
                        .arg(0))
                .isEqualTo("404");
    }
}
