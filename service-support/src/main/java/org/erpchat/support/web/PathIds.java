package org.erpchat.support.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Map;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;

/**
 * An id in a path ({@code /api/groups/{id}}, {@code /api/presence/{userId}}) is a positive integer, as ids are
 * everywhere: one that is not ({@code 0}, {@code -1}, {@code abc}, {@code +5}, past 2^63 - 1) is a malformed request,
 * 400 {@code invalid_request}, and not a thing that does not exist (404). Checked here once, for every path variable a
 * controller of any service takes as an integer, before the controller runs: Spring's own conversion would read
 * {@code +5} as 5 (docs/architecture.md: an integer is digits only).
 */
final class PathIds implements HandlerInterceptor {

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (!(handler instanceof HandlerMethod method)
                || !(request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE)
                        instanceof Map<?, ?> variables)
                || variables.isEmpty()) {
            return true; // a send's path has no variables: nothing to look at on the busiest requests
        }
        for (MethodParameter parameter : method.getMethodParameters()) {
            PathVariable variable = parameter.getParameterAnnotation(PathVariable.class);
            if (variable == null || !isInteger(parameter.getParameterType())) {
                continue;
            }
            String name = !variable.name().isEmpty()
                    ? variable.name()
                    : !variable.value().isEmpty() ? variable.value() : parameter.getParameterName();
            if (variables.get(name) instanceof String value && !isPositiveId(value)) {
                throw ApiException.badRequest("`" + name + "` in the path must be a positive integer");
            }
        }
        return true;
    }

    private static boolean isInteger(Class<?> type) {
        return type == long.class || type == Long.class || type == int.class || type == Integer.class;
    }

    /** Digits only (no sign, no space), within a {@code long}, above 0. */
    static boolean isPositiveId(String value) {
        if (value.isEmpty() || value.length() > 19 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return false;
        }
        try {
            return Long.parseLong(value) > 0;
        } catch (NumberFormatException beyondLong) {
            return false;
        }
    }
}
