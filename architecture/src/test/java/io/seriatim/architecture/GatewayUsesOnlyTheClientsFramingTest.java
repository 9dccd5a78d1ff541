package io.seriatim.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The gateway depends on seriatim-client (compile scope) for the protocol's framing alone: the
 * producer's API and its internals stay out of the server, so neither can grow into the other.
 */
class GatewayUsesOnlyTheClientsFramingTest {
    private static final JavaClasses GATEWAY = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.seriatim.gateway");

    @Test
    void theGatewayUsesNothingOfTheClientButItsFraming() {
        noClasses().that().resideInAPackage("io.seriatim.gateway..")
                .should().dependOnClassesThat(resideInAPackage("io.seriatim.client..")
                        .and(resideOutsideOfPackage("io.seriatim.client.wire..")))
                .because("the gateway shares only io.seriatim.client.wire (the protocol's framing) with the client")
                .check(GATEWAY);
    }
}
