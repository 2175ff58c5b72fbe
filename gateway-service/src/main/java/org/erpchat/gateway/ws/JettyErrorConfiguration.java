package org.erpchat.gateway.ws;

import org.springframework.boot.jetty.JettyServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Jetty's server-level errors as problem details ({@link ProblemErrorHandler}). */
@Configuration(proxyBeanMethods = false)
class JettyErrorConfiguration {

    // Only the server's handler: errors inside the servlet context go to Spring's error page, which service-support
    // answers with a problem detail as well.
    @Bean
    JettyServerCustomizer problemErrorHandler() {
        return server -> server.setErrorHandler(new ProblemErrorHandler());
    }
}
