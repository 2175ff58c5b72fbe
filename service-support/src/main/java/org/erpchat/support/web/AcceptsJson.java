package org.erpchat.support.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * A request to an operation that answers a body must accept JSON ({@code application/json}, or a range such as
 * {@code *}{@code /*} that takes it). Spring MVC finds out only when it writes the answer, after the controller ran: a
 * group would be created or a message stored, and the client, told 406, would create it again when it retries. So the
 * {@code Accept} header is read here, before the controller, and a request that takes no JSON is refused with 406
 * {@code not_acceptable} having done nothing. It also keeps the answers JSON, the one type the API documents (Spring
 * would answer YAML to a client that asks for it).
 */
final class AcceptsJson implements HandlerInterceptor {

    /** {@code application/problem+json} and the like: Jackson writes those too. */
    private static final MediaType JSON_SUFFIX = new MediaType("application", "*+json");

    private final Map<Method, Boolean> answersABody = new ConcurrentHashMap<>();

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
            throws HttpMediaTypeNotAcceptableException {
        Enumeration<String> accept = request.getHeaders(HttpHeaders.ACCEPT);
        if (accept == null
                || !accept.hasMoreElements()
                || !(handler instanceof HandlerMethod method)
                || !answersABody.computeIfAbsent(method.getMethod(), m -> answersABody(method))) {
            return true;
        }
        List<MediaType> accepted;
        try {
            accepted = MediaType.parseMediaTypes(Collections.list(accept));
        } catch (InvalidMediaTypeException e) {
            throw new HttpMediaTypeNotAcceptableException("Could not parse 'Accept' header: " + e.getMessage());
        }
        for (MediaType type : accepted) {
            if (type.getQualityValue() > 0
                    && (type.isCompatibleWith(MediaType.APPLICATION_JSON) || type.isCompatibleWith(JSON_SUFFIX))) {
                return true;
            }
        }
        throw new HttpMediaTypeNotAcceptableException(List.of(MediaType.APPLICATION_JSON));
    }

    /** Whether a success answers with a body: a method that returns one, unless it only ever answers 204. */
    static boolean answersABody(HandlerMethod handlerMethod) {
        ResponseStatus status =
                AnnotatedElementUtils.findMergedAnnotation(handlerMethod.getMethod(), ResponseStatus.class);
        if (status != null && status.code() == HttpStatus.NO_CONTENT) {
            return false;
        }
        Class<?> returned = handlerMethod.getReturnType().getParameterType();
        if (returned == void.class || returned == Void.class) {
            return false;
        }
        if (ResponseEntity.class.isAssignableFrom(returned)) {
            Type body = handlerMethod.getReturnType().getGenericParameterType();
            return !(body instanceof ParameterizedType parameterized
                    && parameterized.getActualTypeArguments()[0] == Void.class);
        }
        return true;
    }
}
