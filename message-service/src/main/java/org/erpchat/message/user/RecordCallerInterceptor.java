package org.erpchat.message.user;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.erpchat.support.security.AuthenticatedUser;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.servlet.HandlerInterceptor;

/** Records every authenticated API caller before its request runs, so that others can send to them. */
class RecordCallerInterceptor implements HandlerInterceptor {

    private final UserRegistry registry;

    RecordCallerInterceptor(UserRegistry registry) {
        this.registry = registry;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication != null && authentication.getPrincipal() instanceof AuthenticatedUser user) {
            registry.recordSeen(user.id(), user.displayName());
        }
        return true;
    }
}
