package org.erpchat.message;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import org.erpchat.testsupport.ArchitectureRules;
import org.junit.jupiter.api.Test;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** The rules the design relies on, checked on the compiled classes. */
class ArchitectureTest {

    private static final JavaClasses CLASSES = ArchitectureRules.mainClassesOf("org.erpchat.message");

    @Test
    void featurePackagesDoNotDependOnEachOtherInCycles() {
        ArchitectureRules.featurePackagesFreeOfCycles("org.erpchat.message").check(CLASSES);
    }

    /**
     * HTTP stays at the edge: domain classes refuse with {@code RefusedException} and know nothing of statuses,
     * requests or problem details; controllers, the exception handler and web configuration translate.
     */
    @Test
    void onlyTheWebEdgeKnowsHttp() {
        noClasses()
                .that()
                .areNotAnnotatedWith(RestController.class)
                .and()
                .areNotAnnotatedWith(RestControllerAdvice.class)
                .and()
                .areNotAssignableTo(WebMvcConfigurer.class)
                .and()
                .areNotAssignableTo(HandlerInterceptor.class)
                .and()
                .resideOutsideOfPackage("org.erpchat.message.config..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(ArchitectureRules.HTTP_PACKAGES)
                .check(CLASSES);
    }

    /** Events reach Kafka only through the transactional outbox, so none is published for a change rolled back. */
    @Test
    void onlyTheOutboxPublishesToKafka() {
        ArchitectureRules.onlyTheseSendToKafka("org.erpchat.message.outbox..").check(CLASSES);
    }

    /** Controllers go through the feature's classes; SQL lives in stores and queries, each beside its feature. */
    @Test
    void controllersDoNotTalkToTheDatabase() {
        noClasses()
                .that()
                .areAnnotatedWith(RestController.class)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.springframework.jdbc..", "java.sql..")
                .check(CLASSES);
    }
}
