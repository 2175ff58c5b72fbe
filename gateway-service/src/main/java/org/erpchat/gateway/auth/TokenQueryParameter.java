package org.erpchat.gateway.auth;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Takes the seed's {@code ?token=} off a WebSocket handshake request before anything else sees it (the first filter on
 * {@code /ws} calls {@link #moveToAttribute}). The token moves into a request attribute for {@link
 * HandshakeAuthenticator}; the request the rest of the application sees (and whose URI the WebSocket session remembers
 * and any log line could print) no longer has it.
 */
public final class TokenQueryParameter {

    public static final String TOKEN_ATTRIBUTE = TokenQueryParameter.class.getName() + ".token";
    private static final String PARAMETER = "token";

    private TokenQueryParameter() {}

    /** The request without its {@code token} parameter, which is now the {@link #TOKEN_ATTRIBUTE} attribute. */
    public static HttpServletRequest moveToAttribute(HttpServletRequest request) {
        String token = request.getParameter(PARAMETER);
        if (token == null) {
            return request;
        }
        request.setAttribute(TOKEN_ATTRIBUTE, token);
        return new WithoutToken(request);
    }

    /** The request minus the {@code token} parameter. */
    private static final class WithoutToken extends HttpServletRequestWrapper {

        WithoutToken(HttpServletRequest request) {
            super(request);
        }

        @Override
        public String getQueryString() {
            String query = super.getQueryString();
            if (query == null) {
                return null;
            }
            String rest = Arrays.stream(query.split("&"))
                    .filter(pair -> !isToken(pair))
                    .collect(Collectors.joining("&"));
            return rest.isEmpty() ? null : rest;
        }

        /**
         * Whether a {@code name=value} pair is the token, by its name as the container decodes it: {@code %74oken}
         * is {@code token} to {@link #getParameter}, so it must not stay in the query string either.
         */
        private static boolean isToken(String pair) {
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            try {
                return PARAMETER.equals(URLDecoder.decode(name, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException malformed) {
                return false; // not a name the container could have read as the token
            }
        }

        @Override
        public String getParameter(String name) {
            return PARAMETER.equals(name) ? null : super.getParameter(name);
        }

        @Override
        public Map<String, String[]> getParameterMap() {
            return super.getParameterMap().entrySet().stream()
                    .filter(entry -> !PARAMETER.equals(entry.getKey()))
                    .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, Map.Entry::getValue));
        }

        @Override
        public Enumeration<String> getParameterNames() {
            return Collections.enumeration(getParameterMap().keySet());
        }

        @Override
        public String[] getParameterValues(String name) {
            return PARAMETER.equals(name) ? null : super.getParameterValues(name);
        }
    }
}
