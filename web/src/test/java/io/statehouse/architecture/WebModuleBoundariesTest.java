package io.statehouse.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The EJB module's rule for the MCP SDK, applied to the web module's classes: only the demo MCP
 * server, itself an MCP server on the SDK, speaks the SDK; the endpoint's registration and the REST
 * API use Statehouse's own types.
 */
class WebModuleBoundariesTest {

    @Test
    void mcpSdkTypesAreUsedOnlyByTheDemoServer() {
        JavaClasses web = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages("io.statehouse");
        noClasses().that().resideOutsideOfPackage("io.statehouse.mcp.demo..")
                .should().dependOnClassesThat().resideInAPackage("io.modelcontextprotocol..")
                .because("the MCP SDK stays behind the protocol packages of the EJB module and the demo server")
                .check(web);
    }
}
