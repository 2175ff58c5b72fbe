package org.erpchat.gateway;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import org.erpchat.testsupport.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** The rules the design relies on, checked on the compiled classes. */
class ArchitectureTest {

    private static final JavaClasses CLASSES = ArchitectureRules.mainClassesOf("org.erpchat.gateway");

    @Test
    void featurePackagesDoNotDependOnEachOtherInCycles() {
        ArchitectureRules.featurePackagesFreeOfCycles("org.erpchat.gateway").check(CLASSES);
    }

    /**
     * The WebSocket engine (Jetty's core API, the Jakarta API) stays in {@code ws}: everything else writes through
     * {@code session.SessionConnection}, so the engine can change without touching delivery, replay or presence.
     */
    @Test
    void onlyTheWebSocketEdgeKnowsTheEngine() {
        noClasses()
                .that()
                .resideOutsideOfPackage("org.erpchat.gateway.ws..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.eclipse.jetty..", "jakarta.websocket..")
                .check(CLASSES);
    }

    /** Every record the gateway produces goes through the one bounded hand-off, so no thread blocks on Kafka. */
    @Test
    void onlyTheEventPublisherSendsToKafka() {
        ArchitectureRules.onlyTheseSendToKafka("org.erpchat.gateway.events..").check(CLASSES);
    }

    /** Calls to message-service and presence-service go through {@code backend}: its timeouts, errors and batching. */
    @Test
    void onlyTheBackendClientsCallOtherServices() {
        noClasses()
                .that()
                .resideOutsideOfPackage("org.erpchat.gateway.backend..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("java.net.http..", "org.springframework.web.client..")
                .check(CLASSES);
    }

    /** Tokens are verified in one place ({@code auth}), with the settings every service shares. */
    @Test
    void onlyAuthVerifiesTokens() {
        noClasses()
                .that()
                .resideOutsideOfPackage("org.erpchat.gateway.auth..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.springframework.security.oauth2.jwt..", "com.nimbusds..")
                .check(CLASSES);
    }
}
