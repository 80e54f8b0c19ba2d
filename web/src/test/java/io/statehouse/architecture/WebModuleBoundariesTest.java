package io.statehouse.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The EJB module's rule for the MCP SDK, applied to the web module's classes: the SDK stays behind
 * {@code io.statehouse.mcp}, replaceable in one place.
 */
class WebModuleBoundariesTest {

    @Test
    void mcpSdkTypesAreUsedOnlyInTheMcpPackages() {
        JavaClasses web = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages("io.statehouse");
        noClasses().that().resideOutsideOfPackage("io.statehouse.mcp..")
                .should().dependOnClassesThat().resideInAPackage("io.modelcontextprotocol..")
                .because("the MCP SDK stays behind io.statehouse.mcp, replaceable when it implements MRTR")
                .check(web);
    }
}
