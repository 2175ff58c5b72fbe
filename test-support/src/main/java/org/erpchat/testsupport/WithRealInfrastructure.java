package org.erpchat.testsupport;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.context.annotation.Import;

/**
 * Connects a Spring Boot test's application context to the shared real servers ({@link SharedInfrastructure}): its
 * DataSource, Kafka clients and Redis client point at them, whichever of those the service uses. The context also gets
 * a {@link ChatInfrastructure} bean for tests that stop and restart a server.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@Import(RealInfrastructureSelector.class)
public @interface WithRealInfrastructure {}
