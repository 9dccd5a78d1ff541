package io.seriatim.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.junit.jupiter.api.Test;

/**
 * The rules between modules that a reader of the module names expects, checked on the compiled
 * main classes of every module (tests are not imported).
 */
class ArchitectureTest {
    private static final JavaClasses PRODUCT_AND_TOOLS = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.seriatim");

    @Test
    void noModuleTakesPartInAnImportCircle() {
        slices().matching("io.seriatim.(*)..").should().beFreeOfCycles().check(PRODUCT_AND_TOOLS);
    }

    /** Finer than packages: two classes that import each other, also inside one package (the generated Protobuf code aside). */
    @Test
    void noClassTakesPartInAnImportCircle() {
        SliceAssignment byTopLevelClass = new SliceAssignment() {
            @Override
            public SliceIdentifier getIdentifierOf(JavaClass c) {
                if (!c.getPackageName().startsWith("io.seriatim.") || c.getPackageName().startsWith("io.seriatim.proto")) {
                    return SliceIdentifier.ignore();
                }
                String name = c.getName();
                int nested = name.indexOf('$');
                return SliceIdentifier.of(nested < 0 ? name : name.substring(0, nested));
            }

            @Override
            public String getDescription() {
                return "top-level classes";
            }
        };
        slices().assignedFrom(byTopLevelClass).should().beFreeOfCycles().check(PRODUCT_AND_TOOLS);
    }

    @Test
    void theClientNeedsOnlyProtoAndNetty() {
        classes().that().resideInAPackage("io.seriatim.client..")
                .should().onlyDependOnClassesThat().resideInAnyPackage(
                        "io.seriatim.client..", "io.seriatim.proto..", "io.netty..", "com.google.protobuf..", "java..")
                .check(PRODUCT_AND_TOOLS);
    }

    @Test
    void coreKnowsNothingOfNettyHandlersOrTheProcessesAboveIt() {
        noClasses().that().resideInAPackage("io.seriatim.core..")
                .should().dependOnClassesThat().resideInAnyPackage("io.netty..", "io.seriatim.client..",
                        "io.seriatim.gateway..", "io.seriatim.worker..", "io.seriatim.sweeper..", "io.seriatim.cli..",
                        "io.seriatim.verify..", "io.seriatim.tools..", "io.seriatim.localredis..", "io.seriatim.metrics..",
                        "com.codahale.metrics..", "io.prometheus..")
                .check(PRODUCT_AND_TOOLS);
    }

    @Test
    void theProductNeverReachesIntoToolsOrTestCode() {
        noClasses().that().resideOutsideOfPackages("io.seriatim.tools..", "io.seriatim.testkit..")
                .should().dependOnClassesThat().resideInAnyPackage("io.seriatim.tools..", "io.seriatim.testkit..",
                        "org.junit..", "org.assertj..", "org.awaitility..")
                .check(PRODUCT_AND_TOOLS);
    }

    @Test
    void theGatewayWorkerAndSweeperDoNotDependOnEachOther() {
        noClasses().that().resideInAPackage("io.seriatim.gateway..")
                .should().dependOnClassesThat().resideInAnyPackage("io.seriatim.worker..", "io.seriatim.sweeper..")
                .check(PRODUCT_AND_TOOLS);
        noClasses().that().resideInAPackage("io.seriatim.worker..")
                .should().dependOnClassesThat().resideInAnyPackage("io.seriatim.gateway..", "io.seriatim.sweeper..")
                .check(PRODUCT_AND_TOOLS);
        noClasses().that().resideInAPackage("io.seriatim.sweeper..")
                .should().dependOnClassesThat().resideInAnyPackage("io.seriatim.gateway..", "io.seriatim.worker..")
                .check(PRODUCT_AND_TOOLS);
    }

    /**
     * The metrics endpoint is what an embedding application adds beside a worker, gateway or
     * sweeper: they register Dropwizard metrics and know nothing of Prometheus, and the endpoint
     * reads a Dropwizard registry and knows nothing of them.
     */
    @Test
    void theProcessesKnowNothingOfPrometheusAndTheEndpointNothingOfThem() {
        noClasses().that().resideInAnyPackage("io.seriatim.core..", "io.seriatim.gateway..", "io.seriatim.worker..",
                        "io.seriatim.sweeper..", "io.seriatim.client..", "io.seriatim.proto..")
                .should().dependOnClassesThat().resideInAnyPackage("io.seriatim.metrics..", "io.prometheus..")
                .check(PRODUCT_AND_TOOLS);
        classes().that().resideInAPackage("io.seriatim.metrics..")
                .should().onlyDependOnClassesThat().resideInAnyPackage(
                        "io.seriatim.metrics..", "com.codahale.metrics..", "io.prometheus..", "com.sun.net.httpserver..", "java..")
                .check(PRODUCT_AND_TOOLS);
    }

    @Test
    void anInternalPackageIsReachedOnlyFromItsOwnModule() {
        classes().that().resideInAPackage("io.seriatim.worker.internal..")
                .should().onlyBeAccessed().byAnyPackage("io.seriatim.worker..")
                .check(PRODUCT_AND_TOOLS);
    }
}
