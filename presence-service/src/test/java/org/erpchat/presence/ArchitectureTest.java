package org.erpchat.presence;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import org.erpchat.testsupport.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** The rules the design relies on, checked on the compiled classes. */
class ArchitectureTest {

    private static final JavaClasses CLASSES = ArchitectureRules.mainClassesOf("org.erpchat.presence");

    @Test
    void featurePackagesDoNotDependOnEachOtherInCycles() {
        ArchitectureRules.featurePackagesFreeOfCycles("org.erpchat.presence").check(CLASSES);
    }

    /** HTTP stays in the REST query feature and the web edge (problem details, API docs). */
    @Test
    void onlyTheWebEdgeKnowsHttp() {
        noClasses()
                .that()
                .resideOutsideOfPackages("org.erpchat.presence.query..", "org.erpchat.presence.web..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(ArchitectureRules.HTTP_PACKAGES)
                .check(CLASSES);
    }

    /**
     * Presence changes only through the Lua scripts ({@code state}), where each transition is decided once, however
     * many instances run. Besides them only the outbox (its stream and lease) and the read-only queries touch Redis.
     */
    @Test
    void onlyTheScriptsTheOutboxAndTheQueriesTouchRedis() {
        noClasses()
                .that()
                .resideOutsideOfPackages(
                        "org.erpchat.presence.state..", "org.erpchat.presence.outbox..", "org.erpchat.presence.query..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.springframework.data.redis..", "io.lettuce..")
                .check(CLASSES);
    }

    /** Events reach Kafka only through the outbox, which is written in the same script as the transition. */
    @Test
    void onlyTheOutboxPublishesToKafka() {
        ArchitectureRules.onlyTheseSendToKafka("org.erpchat.presence.outbox..").check(CLASSES);
    }
}
