package org.erpchat.support.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Collection;
import java.util.Map;
import org.erpchat.events.DigitStrings;
import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;

/**
 * Integers in a URL are digits only, as in a JSON body ({@link DigitStrings}: no sign, space or leading zero). Spring's
 * own conversion would read {@code +5}, {@code 05} and {@code " 5"} as 5. Checked here once, before the controller
 * runs, for every path variable and query parameter a controller of any service takes as an integer (or a list of
 * integers, {@code ?ids=1,2}):
 *
 * <ul>
 *   <li>an id in a path ({@code /api/groups/{id}}, {@code /api/presence/{userId}}) is a positive integer: one that is
 *       not ({@code 0}, {@code -1}, {@code abc}, {@code +5}, {@code 05}, past 2^63 - 1) is a malformed request, 400
 *       {@code invalid_request}, and not a thing that does not exist (404);
 *   <li>a query parameter is written in digits; its range ({@code limit=0}) is its operation's to check. A parameter
 *       given empty is left to count as not given (docs/architecture.md).
 * </ul>
 */
final class IntegerParameters implements HandlerInterceptor {

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (!(handler instanceof HandlerMethod method) || method.getMethodParameters().length == 0) {
            return true;
        }
        Map<?, ?> pathVariables =
                request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE) instanceof Map<?, ?> variables
                        ? variables
                        : Map.of();
        for (MethodParameter parameter : method.getMethodParameters()) {
            PathVariable pathVariable = parameter.getParameterAnnotation(PathVariable.class);
            if (pathVariable != null && isInteger(parameter.getParameterType())) {
                String name = nameOf(pathVariable.name(), pathVariable.value(), parameter);
                if (pathVariables.get(name) instanceof String value && !isPositiveId(value)) {
                    throw ApiException.badRequest("`" + name + "` in the path must be a positive integer");
                }
            }
            RequestParam requestParam = parameter.getParameterAnnotation(RequestParam.class);
            if (requestParam != null && takesIntegers(parameter)) {
                String name = nameOf(requestParam.name(), requestParam.value(), parameter);
                checkDigits(name, request.getParameterValues(name));
            }
        }
        return true;
    }

    private static void checkDigits(String name, String[] values) {
        if (values == null) {
            return;
        }
        for (String value : values) {
            // A list's elements come comma-separated (?ids=1,2) or repeated (?ids=1&ids=2); an empty element is
            // left to Spring, which drops it.
            for (String element : value.split(",", -1)) {
                if (!element.isEmpty() && !DigitStrings.isCanonical(element)) {
                    throw ApiException.badRequest(
                            "`" + name + "` must be written in digits (no sign, space or " + "leading zero)");
                }
            }
        }
    }

    private static String nameOf(String name, String value, MethodParameter parameter) {
        return !name.isEmpty() ? name : !value.isEmpty() ? value : parameter.getParameterName();
    }

    private static boolean takesIntegers(MethodParameter parameter) {
        Class<?> type = parameter.getParameterType();
        if (Collection.class.isAssignableFrom(type)) {
            Class<?> element =
                    ResolvableType.forMethodParameter(parameter).asCollection().resolveGeneric(0);
            return element != null && isInteger(element);
        }
        return isInteger(type);
    }

    private static boolean isInteger(Class<?> type) {
        return type == long.class || type == Long.class || type == int.class || type == Integer.class;
    }

    /** Digits only (no sign, no space, no leading zero), within a {@code long}, above 0. */
    static boolean isPositiveId(String value) {
        return DigitStrings.positiveId(value) > 0;
    }
}
