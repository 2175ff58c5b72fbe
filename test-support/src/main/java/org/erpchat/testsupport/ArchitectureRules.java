package org.erpchat.testsupport;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;

/** The architecture rules the services share; each service's {@code ArchitectureTest} adds its own. */
public final class ArchitectureRules {

    /** HTTP, servlets and problem details: what only a service's web edge may know. */
    public static final String[] HTTP_PACKAGES = {
        "org.springframework.web..", "org.springframework.http..", "jakarta.servlet..", "org.erpchat.support.web.."
    };

    private ArchitectureRules() {}

    /** A service's main classes (not its tests). */
    public static JavaClasses mainClassesOf(String rootPackage) {
        return new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(rootPackage);
    }

    /** The feature packages right under {@code rootPackage} do not depend on each other in a cycle. */
    public static ArchRule featurePackagesFreeOfCycles(String rootPackage) {
        return slices().matching(rootPackage + ".(*)..").should().beFreeOfCycles();
    }

    /**
     * Only classes in {@code packages} can send to Kafka (a template, a producer factory or a producer): each service
     * produces through one component whose guarantees it documents (an outbox, a bounded hand-off).
     */
    public static ArchRule onlyTheseSendToKafka(String... packages) {
        return noClasses()
                .that()
                .resideOutsideOfPackages(packages)
                .should()
                .dependOnClassesThat()
                .haveFullyQualifiedName("org.springframework.kafka.core.KafkaTemplate")
                .orShould()
                .dependOnClassesThat()
                .haveFullyQualifiedName("org.springframework.kafka.core.ProducerFactory")
                .orShould()
                .dependOnClassesThat()
                .haveFullyQualifiedName("org.apache.kafka.clients.producer.Producer")
                .orShould()
                .dependOnClassesThat()
                .haveFullyQualifiedName("org.apache.kafka.clients.producer.KafkaProducer");
    }
}
