package io.statehouse.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;

/**
 * Keeps the engine and the MCP SDK behind our own packages, so that Operaton (for Camunda) or a
 * newer SDK can replace them in one place: {@code org.camunda} only on the engine sides of the
 * features, {@code io.modelcontextprotocol} only on their protocol sides.
 */
class ModuleBoundariesTest {

    /** The packages that integrate the process engine; everything else speaks our own types. */
    static final String[] ENGINE_INTEGRATION = {"..engine..", "io.statehouse.db.health.."};

    static final JavaClasses statehouse = StatehouseClasses.MAIN;

    @Test
    void camundaTypesAreUsedOnlyWhereTheEngineIsIntegrated() {
        noClasses().that().resideOutsideOfPackages(ENGINE_INTEGRATION)
                .should().dependOnClassesThat().resideInAPackage("org.camunda..")
                .because("org.camunda imports stay in the process-integration packages (Operaton is the migration path)")
                .check(statehouse);
    }

    @Test
    void mcpSdkTypesAreUsedOnlyOnTheProtocolSides() {
        noClasses().that().resideOutsideOfPackage("io.statehouse..protocol..")
                .should().dependOnClassesThat().resideInAPackage("io.modelcontextprotocol..")
                .because("the MCP SDK stays behind the protocol packages, replaceable when it implements MRTR")
                .check(statehouse);
    }
}
