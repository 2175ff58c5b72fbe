package org.erpchat.testsupport;

import org.springframework.context.annotation.ImportSelector;
import org.springframework.core.type.AnnotationMetadata;

/** Picks how a test context connects: {@code @ServiceConnection} to containers, or connection details to embedded servers. */
class RealInfrastructureSelector implements ImportSelector {

    @Override
    public String[] selectImports(AnnotationMetadata metadata) {
        SharedInfrastructure.get();
        String configuration = SharedInfrastructure.usesContainers()
                ? ContainerServiceConnectionConfiguration.class.getName()
                : EmbeddedConnectionDetailsConfiguration.class.getName();
        return new String[] {configuration};
    }
}
