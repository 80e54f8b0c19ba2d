package io.statehouse.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;

/**
 * Statehouse's own floor plan, so that the next engineer does not have to remember it: one package
 * tree per feature, its port at the top, a {@code protocol} side that speaks MCP and an {@code engine}
 * side that speaks BPMN; the engine side assembles its feature, the bootstrap knows no feature, and no
 * package depends on itself in a circle.
 */
class LayeringTest {

    static final String[] ENGINE_SIDES = {"io.statehouse.engine..", "io.statehouse.*.engine..", "io.statehouse.*.*.engine.."};
    static final String[] FEATURES = {"io.statehouse.mcp..", "io.statehouse.catalog..", "io.statehouse.sampling..",
            "io.statehouse.elicitation..", "io.statehouse.progress..", "io.statehouse.cluster.."};

    static final JavaClasses statehouse = StatehouseClasses.MAIN;

    @Test
    void protocolSidesNeverDependOnEngineSides() {
        noClasses().that().resideInAPackage("io.statehouse..protocol..")
                .should().dependOnClassesThat().resideInAnyPackage(ENGINE_SIDES)
                .because("each feature's engine side assembles its protocol side, never the other way round")
                .check(statehouse);
    }

    @Test
    void portsKnowNeitherOfTheirSides() {
        noClasses().that().resideInAnyPackage("io.statehouse.mcp.client", "io.statehouse.mcp.server")
                .should().dependOnClassesThat().resideInAnyPackage("io.statehouse.mcp.*.protocol..", "io.statehouse.mcp.*.engine..")
                .because("a port holds the types both sides share, so that either side can be replaced alone")
                .check(statehouse);
    }

    @Test
    void theClientDoesNotDependOnTheServer() {
        noClasses().that().resideInAPackage("io.statehouse.mcp.client..")
                .should().dependOnClassesThat().resideInAPackage("io.statehouse.mcp.server..")
                .because("the two directions of MCP share only domain packages (progress, elicitation, sampling)")
                .check(statehouse);
    }

    @Test
    void theServerDoesNotDependOnTheClient() {
        noClasses().that().resideInAPackage("io.statehouse.mcp.server..")
                .should().dependOnClassesThat().resideInAPackage("io.statehouse.mcp.client..")
                .because("the two directions of MCP share only domain packages (progress, elicitation, sampling)")
                .check(statehouse);
    }

    @Test
    void theBootstrapKnowsNoFeature() {
        noClasses().that().resideInAPackage("io.statehouse.engine..")
                .should().dependOnClassesThat().resideInAnyPackage(FEATURES)
                .because("features contribute to the engine (their ProcessEnginePlugin, an observer of EngineStarted); "
                        + "the bootstrap is not edited for each of them")
                .check(statehouse);
    }

    @Test
    void theClustersPortKnowsNoFeature() {
        noClasses().that().resideInAPackage("io.statehouse.cluster")
                .should().dependOnClassesThat().resideInAnyPackage("io.statehouse.mcp..", "io.statehouse.catalog..", "io.statehouse.engine..")
                .because("every feature may signal the other nodes; the signals know none of them")
                .check(statehouse);
    }

    @Test
    void noPackageDependsOnItselfInACircle() {
        slices().matching("io.statehouse.(**)")
                .should().beFreeOfCycles()
                .check(statehouse);
    }
}
