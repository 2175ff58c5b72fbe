package org.erpchat.support.web;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.reflect.Field;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.stream.Collectors;
import org.erpchat.support.domain.RefusedException;
import org.erpchat.support.logging.FaultLog;
import org.erpchat.support.logging.KeyedFaultLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.ConversionNotSupportedException;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.MethodParameter;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.converter.HttpMessageNotWritableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.util.ReflectionUtils;
import org.springframework.validation.method.MethodValidationException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.PropertyNamingStrategy;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one place where a service turns exceptions into RFC 9457 problem details with a {@code code} member. A service
 * uses it by declaring {@code @RestControllerAdvice class ApiExceptionHandler extends ProblemExceptionHandler}, adding
 * handlers for its own exceptions if it has any.
 *
 * <ul>
 *   <li>{@link RefusedException}, what domain classes throw: the status of its kind, its code and its detail;
 *   <li>{@link ApiException}, what controllers throw: its status, code and detail, as thrown;
 *   <li>Spring MVC's own exceptions (malformed JSON, a wrong type, an unknown path, a wrong method or media type): their
 *       status, the code {@link ProblemCodes#forStatus} gives it, and a detail that names the offending JSON field;
 *   <li>parameters the container cannot decode ({@link InvalidParameters}: {@code ?limit=%zz}): 400
 *       {@code invalid_request}, as Tomcat answers them itself when no handler is involved;
 *   <li>a store that cannot be reached ({@link #isUnavailable}): 503 {@code unavailable}, logged once per outage with
 *       a count ({@link FaultLog}), never as an ERROR with a stack trace;
 *   <li>anything else: 500 {@code internal_error}, and a body that reveals nothing of the cause. A bug: the first one
 *       of each kind (its root cause's class and where it was thrown) is logged as an ERROR with its stack trace, its
 *       repeats are counted ({@link KeyedFaultLog#forBugs}), so a request that triggers it over and over cannot flood
 *       the log.
 * </ul>
 *
 * Every problem is written as {@code application/problem+json} whatever the request's {@code Accept} says, which
 * could otherwise leave it without a body. Expected refusals (bad input) are not logged at all, not even a request
 * with a method the path does not allow: they are the client's business, not the operator's. Details name what the
 * client sent: JSON properties and query parameters by their names on the wire.
 */
public class ProblemExceptionHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemExceptionHandler.class);

    private final FaultLog unavailable = new FaultLog(
            log, "answering API requests (a store the service needs is unreachable)", Duration.ofMinutes(1));

    private final KeyedFaultLog bugs =
            KeyedFaultLog.forBugs(log, "answering API requests: unexpected", Duration.ofMinutes(1), 100);

    private PropertyNamingStrategy jsonNames;

    /** The names JSON properties have on the wire (the application's mapper's naming strategy), for details. */
    @Autowired(required = false)
    void setJsonMapper(JsonMapper mapper) {
        this.jsonNames = mapper.serializationConfig().getPropertyNamingStrategy();
    }

    @ExceptionHandler(RefusedException.class)
    protected ResponseEntity<Object> refused(RefusedException e, WebRequest request) {
        HttpStatus status = switch (e.kind()) {
            case INVALID -> HttpStatus.BAD_REQUEST;
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case FORBIDDEN -> HttpStatus.FORBIDDEN;
            case UNPROCESSABLE -> HttpStatus.UNPROCESSABLE_CONTENT;
        };
        ApiException problem = new ApiException(status, e.code(), e.getMessage());
        return handleExceptionInternal(e, problem, new HttpHeaders(), status, request);
    }

    /** Method security ({@code @PreAuthorize}) refuses inside the handler, after the security filters. */
    @ExceptionHandler(AccessDeniedException.class)
    protected ResponseEntity<Object> accessDenied(AccessDeniedException e, WebRequest request) {
        return handleExceptionInternal(
                e,
                ApiException.forbidden("You are not allowed to do this"),
                new HttpHeaders(),
                HttpStatus.FORBIDDEN,
                request);
    }

    @ExceptionHandler(Exception.class)
    protected ResponseEntity<Object> unexpected(Exception e, WebRequest request) {
        int refused = InvalidParameters.status(e);
        if (refused >= 400 && refused < 500) {
            HttpStatusCode status = HttpStatusCode.valueOf(refused);
            String detail = refused == 400
                    ? "The request's parameters cannot be read (an invalid %-escape, or too many parameters)"
                    : ContainerProblems.detail(refused);
            ApiException problem = new ApiException(status, ProblemCodes.forStatus(status), detail);
            return handleExceptionInternal(e, problem, new HttpHeaders(), status, request);
        }
        if (isUnavailable(e)) {
            unavailable.failed(e);
            ApiException problem = new ApiException(
                    HttpStatus.SERVICE_UNAVAILABLE,
                    ProblemCodes.UNAVAILABLE,
                    "The service is briefly unavailable, retry later");
            return handleExceptionInternal(e, problem, new HttpHeaders(), HttpStatus.SERVICE_UNAVAILABLE, request);
        }
        // Not keyed by the path: paths hold ids, and one bug would take a key per id.
        bugs.failed(KeyedFaultLog.bugKey(e), e);
        ApiException problem = new ApiException(
                HttpStatus.INTERNAL_SERVER_ERROR, ProblemCodes.INTERNAL_ERROR, "Something went wrong on our side");
        return handleExceptionInternal(e, problem, new HttpHeaders(), HttpStatus.INTERNAL_SERVER_ERROR, request);
    }

    /**
     * Whether {@code e} means that a store the service needs cannot be reached right now (connection refused, a
     * timeout, no connection from the pool), so that a retry later may work. A service whose store reports outages
     * differently widens this.
     */
    protected boolean isUnavailable(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof CannotCreateTransactionException
                    || cause instanceof DataAccessResourceFailureException
                    || cause instanceof TransientDataAccessException
                    || cause instanceof RecoverableDataAccessException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Ends an outage in the log: the first successful answer after 503s logs one line saying how many there were.
     * Registered for every handler by service-support's web auto-configuration.
     */
    public HandlerInterceptor recoveryWatcher() {
        return new HandlerInterceptor() {
            @Override
            public void afterCompletion(
                    HttpServletRequest request, HttpServletResponse response, Object handler, Exception ex) {
                if (ex == null && unavailable.isFailing() && response.getStatus() < 300) {
                    unavailable.succeeded();
                }
            }
        };
    }

    /** A bug (a response that cannot be written): Spring's own answer would be logged nowhere. */
    @Override
    protected ResponseEntity<Object> handleHttpMessageNotWritable(
            HttpMessageNotWritableException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return unexpected(ex, request);
    }

    @Override
    protected ResponseEntity<Object> handleConversionNotSupported(
            ConversionNotSupportedException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return unexpected(ex, request);
    }

    @Override
    protected ResponseEntity<Object> handleMethodValidationException(
            MethodValidationException ex, HttpHeaders headers, HttpStatus status, WebRequest request) {
        return unexpected(ex, request);
    }

    /** As Spring answers it, without its WARN line per request: a wrong method is the client's business. */
    @Override
    protected ResponseEntity<Object> handleHttpRequestMethodNotSupported(
            HttpRequestMethodNotSupportedException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return handleExceptionInternal(ex, null, headers, status, request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        for (Throwable cause = ex; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof RequestBodyLimit.TooLarge tooLarge) {
                // A body sent in chunks that passed the limit while it was read (RequestBodyLimit).
                ApiException problem = new ApiException(
                        HttpStatus.CONTENT_TOO_LARGE, ProblemCodes.forStatus(413), tooLarge.getMessage());
                return handleExceptionInternal(ex, problem, headers, HttpStatus.CONTENT_TOO_LARGE, request);
            }
            if (cause instanceof StreamConstraintsException) {
                // More JSON than the service reads (spring.jackson.factory.constraints.read.*): refused after that
                // much, whatever the body's size. Jackson's own words name its Java API, so they are not passed on.
                ApiException problem = new ApiException(
                        HttpStatus.CONTENT_TOO_LARGE,
                        ProblemCodes.forStatus(413),
                        "The request body holds more values, or longer ones, than the service reads");
                return handleExceptionInternal(ex, problem, headers, HttpStatus.CONTENT_TOO_LARGE, request);
            }
            if (cause instanceof RequestBodyLimit.TooSlow tooSlow) {
                // The rest of the body may still come: the connection cannot carry another request.
                ApiException problem =
                        new ApiException(HttpStatus.REQUEST_TIMEOUT, ProblemCodes.forStatus(408), tooSlow.getMessage());
                HttpHeaders closing = new HttpHeaders();
                closing.putAll(headers);
                closing.setConnection("close");
                return handleExceptionInternal(ex, problem, closing, HttpStatus.REQUEST_TIMEOUT, request);
            }
        }
        return handleExceptionInternal(ex, ApiException.badRequest(unreadable(ex)), headers, status, request);
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(
            MethodArgumentNotValidException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        Class<?> target = ex.getBindingResult().getTarget() == null
                ? null
                : ex.getBindingResult().getTarget().getClass();
        String detail = ex.getBindingResult().getFieldErrors().stream()
                .map(error -> wireName(target, error.getField()) + " " + error.getDefaultMessage())
                .collect(Collectors.joining("; "));
        return handleExceptionInternal(
                ex, ApiException.badRequest("Invalid request: " + detail), headers, status, request);
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(
            HandlerMethodValidationException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String detail = ex.getParameterValidationResults().stream()
                .map(result -> wireName(result.getMethodParameter()) + " "
                        + result.getResolvableErrors().stream()
                                .map(error -> error.getDefaultMessage())
                                .collect(Collectors.joining(", ")))
                .collect(Collectors.joining("; "));
        return handleExceptionInternal(
                ex, ApiException.badRequest("Invalid request: " + detail), headers, status, request);
    }

    /** Every answer goes through here: the body becomes a problem detail with a code and the request's path. */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(
            Exception ex, Object body, HttpHeaders headers, HttpStatusCode statusCode, WebRequest request) {
        if (request instanceof ServletWebRequest servlet
                && servlet.getResponse() != null
                && servlet.getResponse().isCommitted()) {
            // Answered already, or the container answers itself (Tomcat's 408 for a body that stopped arriving, its
            // error page to follow): nothing to add, and no line to log, where Spring would WARN for each such request.
            // A bug was logged before it got here.
            log.debug("Not answering {}: the response is committed", ex.toString());
            return null;
        }
        Object problemBody = body;
        if (problemBody == null && ex instanceof ErrorResponse errorResponse) {
            problemBody = errorResponse.getBody();
        }
        HttpHeaders allHeaders = new HttpHeaders();
        allHeaders.putAll(headers);
        if (problemBody instanceof ApiException apiException) {
            allHeaders.putAll(apiException.getHeaders());
            problemBody = apiException.getBody();
        }
        if (problemBody instanceof ProblemDetail problem) {
            // Preset, so that an Accept header Spring cannot parse or satisfy does not drop the body.
            allHeaders.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
            Map<String, Object> properties = problem.getProperties();
            if (properties == null || !properties.containsKey(ProblemCodes.MEMBER)) {
                problem.setProperty(ProblemCodes.MEMBER, ProblemCodes.forStatus(statusCode));
            }
            if (problem.getType() == null) {
                // Spring builds its own (405, 406, 415) without one; ours all name it.
                problem.setType(URI.create("about:blank"));
            }
            if (problem.getInstance() == null && request instanceof ServletWebRequest servlet) {
                problem.setInstance(URI.create(servlet.getRequest().getRequestURI()));
            }
        }
        return super.handleExceptionInternal(ex, problemBody, allHeaders, statusCode, request);
    }

    /** Says what is wrong with an unreadable body in the API's own terms: the JSON field, never a Java type. */
    static String unreadable(HttpMessageNotReadableException ex) {
        JacksonException json = null;
        for (Throwable cause = ex.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof JacksonException jackson) {
                json = jackson;
                break;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        if (json == null) {
            return "A JSON request body is required";
        }
        String path = json.getPath().isEmpty() ? null : path(json.getPath());
        if (json instanceof MismatchedInputException mismatched) {
            String expected = expected(mismatched.getTargetType());
            return path == null ? "The request body must be " + expected : "`" + path + "` must be " + expected;
        }
        if (path != null) {
            return "`" + path + "` has a value of the wrong type or out of range";
        }
        String duplicate = duplicateMember(json.getOriginalMessage());
        if (duplicate != null) {
            return "The request body names `" + duplicate + "` twice in one object";
        }
        TokenStreamLocation location = json.getLocation();
        return location == null || location.getLineNr() < 0
                ? "The request body is not valid JSON"
                : "The request body is not valid JSON (line " + location.getLineNr() + ", column "
                        + location.getColumnNr() + ")";
    }

    /**
     * The member a body names twice (the mapper refuses that, {@code StrictJsonTypes}), from the parser's own words,
     * cut to 64 characters; null for any other error.
     */
    private static String duplicateMember(String parserMessage) {
        String prefix = "Duplicate Object property \"";
        if (parserMessage == null || !parserMessage.startsWith(prefix) || !parserMessage.endsWith("\"")) {
            return null;
        }
        String name = parserMessage.substring(prefix.length(), parserMessage.length() - 1);
        return name.length() <= 64 ? name : name.substring(0, 64) + "...";
    }

    private static String path(Collection<JacksonException.Reference> references) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : references) {
            if (reference.getPropertyName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "of another JSON type";
        }
        if (type.isEnum()) {
            return "one of the documented values";
        }
        if (CharSequence.class.isAssignableFrom(type) || type == Character.class || type == char.class) {
            return "a JSON string";
        }
        if (type == Long.class
                || type == long.class
                || type == Integer.class
                || type == int.class
                || type == Short.class
                || type == short.class) {
            return "a JSON integer (or a string of digits)";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == Instant.class) {
            // What Jackson reads as an instant (a local time, without its offset, names none).
            return "an RFC 3339 time with its offset, such as \"2026-12-07T10:00:00Z\" or"
                    + " \"2026-12-07T11:00:00+01:00\", or a number of seconds since 1970";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "a JSON number";
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "a JSON array";
        }
        return "a JSON object";
    }

    /**
     * A bound property path ({@code members[0].displayName}) as the client wrote it: each property by its
     * {@code @JsonProperty} name when it has one, else by the mapper's naming strategy.
     */
    private String wireName(Class<?> target, String path) {
        StringBuilder wire = new StringBuilder();
        Class<?> type = target;
        for (String segment : path.split("\\.", -1)) {
            int index = segment.indexOf('[');
            String name = index < 0 ? segment : segment.substring(0, index);
            Field field = type == null ? null : ReflectionUtils.findField(type, name);
            JsonProperty declared = field == null ? null : field.getAnnotation(JsonProperty.class);
            String onWire;
            if (declared != null && !declared.value().isEmpty()) {
                onWire = declared.value();
            } else if (jsonNames instanceof PropertyNamingStrategies.NamingBase naming) {
                onWire = naming.nameForField(null, null, name);
            } else {
                onWire = name;
            }
            if (!wire.isEmpty()) {
                wire.append('.');
            }
            wire.append(onWire).append(index < 0 ? "" : segment.substring(index));
            type = field == null || index >= 0 ? null : field.getType();
        }
        return wire.toString();
    }

    /** A request parameter or path variable by the name the client used. */
    private static String wireName(MethodParameter parameter) {
        RequestParam param = parameter.getParameterAnnotation(RequestParam.class);
        if (param != null && !param.name().isEmpty()) {
            return param.name();
        }
        PathVariable variable = parameter.getParameterAnnotation(PathVariable.class);
        if (variable != null && !variable.name().isEmpty()) {
            return variable.name();
        }
        return parameter.getParameterName();
    }
}
