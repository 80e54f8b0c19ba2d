package io.statehouse.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * Keeps the engine and the MCP SDK behind our own packages, so that Operaton (for Camunda) or a
 * newer SDK can replace them in one place.
 */
class ModuleBoundariesTest {

    /** The packages that integrate the process engine; everything else speaks our own types. */
    static final String[] ENGINE_INTEGRATION = {"io.statehouse.engine..", "io.statehouse.db.health.."};

    static JavaClasses statehouse;

    @BeforeAll
    static void importClasses() {
        statehouse = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.statehouse");
    }

    @Test
    void camundaTypesAreUsedOnlyWhereTheEngineIsIntegrated() {
        noClasses().that().resideOutsideOfPackages(ENGINE_INTEGRATION)
                .should().dependOnClassesThat().resideInAPackage("org.camunda..")
                .because("org.camunda imports stay in the process-integration packages (Operaton is the migration path)")
                .check(statehouse);
    }

    @Test
    void mcpSdkTypesAreUsedOnlyInTheMcpPackages() {
        noClasses().that().resideOutsideOfPackage("io.statehouse.mcp..")
                .should().dependOnClassesThat().resideInAPackage("io.modelcontextprotocol..")
                .allowEmptyShould(true)
                .because("the MCP SDK stays behind io.statehouse.mcp, replaceable when it implements MRTR")
                .check(statehouse);
    }
}
