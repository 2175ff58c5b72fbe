package org.erpchat.message.user;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

@Configuration(proxyBeanMethods = false)
class UserWebConfiguration implements WebMvcConfigurer {

    private final UserRegistry registry;

    UserWebConfiguration(UserRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void addInterceptors(InterceptorRegistry interceptors) {
        interceptors.addInterceptor(new RecordCallerInterceptor(registry)).addPathPatterns("/api/**");
    }
}
