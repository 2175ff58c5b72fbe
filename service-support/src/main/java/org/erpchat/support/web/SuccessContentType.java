package org.erpchat.support.web;

import org.springframework.core.MethodParameter;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.AbstractJacksonHttpMessageConverter;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

/**
 * A success is never labelled a problem. Spring's JSON converter writes any {@code application/*+json} type the
 * request accepts, so a request accepting {@code application/problem+json} (as a client that knows the API's errors
 * may send, alone or next to {@code application/json}) got its 200 labelled a problem detail. Such a body goes out as
 * {@code application/json}, what it is: a client that accepts a JSON type reads it. Problems keep their own type.
 */
@ControllerAdvice
final class SuccessContentType implements ResponseBodyAdvice<Object> {

    @Override
    public boolean supports(MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
        return AbstractJacksonHttpMessageConverter.class.isAssignableFrom(converterType);
    }

    @Override
    public Object beforeBodyWrite(
            Object body,
            MethodParameter returnType,
            MediaType selectedContentType,
            Class<? extends HttpMessageConverter<?>> selectedConverterType,
            ServerHttpRequest request,
            ServerHttpResponse response) {
        if (!(body instanceof ProblemDetail)
                && MediaType.APPLICATION_PROBLEM_JSON.equalsTypeAndSubtype(selectedContentType)) {
            // The converter keeps a Content-Type already set.
            response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        }
        return body;
    }
}
