package io.statehouse.bpmn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.BaseElement;
import org.camunda.bpm.model.bpmn.instance.FlowElement;
import org.camunda.bpm.model.bpmn.instance.FlowNode;
import org.camunda.bpm.model.bpmn.instance.Lane;
import org.camunda.bpm.model.bpmn.instance.LaneSet;
import org.camunda.bpm.model.bpmn.instance.Participant;
import org.camunda.bpm.model.bpmn.instance.Process;
import org.camunda.bpm.model.bpmn.instance.SequenceFlow;
import org.camunda.bpm.model.bpmn.instance.SubProcess;
import org.camunda.bpm.model.bpmn.instance.bpmndi.BpmnEdge;
import org.camunda.bpm.model.bpmn.instance.bpmndi.BpmnShape;
import org.camunda.bpm.model.xml.ModelParseException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every BPMN model that Statehouse ships or its tests deploy has complete diagram data, so that
 * Camunda Modeler and Cockpit draw it: a {@code BPMNShape} for every flow node (inside subprocesses
 * too), participant and lane, and a {@code BPMNEdge} for every sequence flow. It reads the files
 * where they are in the source tree: this module's resources and the EAR's test resources (the ITs'
 * fixtures), relative to the module's directory, where surefire runs its tests.
 */
class DiagramDataTest {

    /** Where models are, with how many each held when this test was written: a root that moved or emptied fails. */
    private static final Map<Path, Integer> ROOTS = Map.of(
            Path.of("src/main/resources"), 3,
            Path.of("src/test/resources"), 1,
            Path.of("../ear/src/test/resources"), 6);

    /**
     * Models the engine must reject, whose dangling references the model API refuses to read as
     * well; they have diagram data, but this test cannot look at it.
     */
    private static final Set<Path> UNREADABLE_ON_PURPOSE = Set.of(
            Path.of("../ear/src/test/resources/fixtures/broken-model.bpmn"));

    @Test
    void everyRootStillHoldsTheModelsItHeld() {
        for (Map.Entry<Path, Integer> root : ROOTS.entrySet()) {
            assertThat(modelsUnder(root.getKey())).as(".bpmn files under " + root.getKey().toAbsolutePath().normalize())
                    .hasSizeGreaterThanOrEqualTo(root.getValue());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("readableModels")
    void everyFlowNodeHasAShapeAndEverySequenceFlowAnEdge(Path file) {
        BpmnModelInstance model = read(file);
        Set<String> shaped = ids(model.getModelElementsByType(BpmnShape.class).stream().map(BpmnShape::getBpmnElement));
        Set<String> edged = ids(model.getModelElementsByType(BpmnEdge.class).stream().map(BpmnEdge::getBpmnElement));

        List<String> missing = new ArrayList<>();
        for (Process process : model.getModelElementsByType(Process.class)) {
            String where = file + ", process " + process.getId();
            missingIn(process.getFlowElements(), where, shaped, edged, missing);
            lanesWithoutShape(process.getLaneSets(), where, shaped, missing);
        }
        for (Participant participant : model.getModelElementsByType(Participant.class)) {
            if (!shaped.contains(participant.getId())) {
                missing.add(file + ", collaboration " + participant.getParentElement().getAttributeValue("id")
                        + ": no BPMNShape for participant " + participant.getId());
            }
        }

        assertThat(missing).as(file + ": elements without diagram data").isEmpty();
    }

    @Test
    void modelsListedAsUnreadableOnPurposeAreStillUnreadable() {
        for (Path file : UNREADABLE_ON_PURPOSE) {
            assertThat(file).as("listed as unreadable on purpose").isRegularFile();
            // Were it readable, its diagram data would go unchecked here: it belongs with the others then.
            assertThatThrownBy(() -> read(file)).as(file + " is readable now: take it off UNREADABLE_ON_PURPOSE")
                    .isInstanceOf(ModelParseException.class);
        }
    }

    static Stream<Path> readableModels() {
        return ROOTS.keySet().stream().sorted().flatMap(root -> modelsUnder(root).stream())
                .filter(file -> !UNREADABLE_ON_PURPOSE.contains(file));
    }

    private static void missingIn(Collection<FlowElement> elements, String where, Set<String> shaped, Set<String> edged,
            List<String> missing) {
        for (FlowElement element : elements) {
            String type = element.getElementType().getTypeName();
            if (element instanceof FlowNode && !shaped.contains(element.getId())) {
                missing.add(where + ": no BPMNShape for " + type + " " + element.getId());
            }
            if (element instanceof SequenceFlow && !edged.contains(element.getId())) {
                missing.add(where + ": no BPMNEdge for " + type + " " + element.getId());
            }
            if (element instanceof SubProcess subProcess) {
                String inside = where + ", subprocess " + subProcess.getId();
                missingIn(subProcess.getFlowElements(), inside, shaped, edged, missing);
                lanesWithoutShape(subProcess.getLaneSets(), inside, shaped, missing);
            }
        }
    }

    private static void lanesWithoutShape(Collection<LaneSet> laneSets, String where, Set<String> shaped, List<String> missing) {
        for (LaneSet laneSet : laneSets) {
            for (Lane lane : laneSet.getLanes()) {
                if (!shaped.contains(lane.getId())) {
                    missing.add(where + ": no BPMNShape for lane " + lane.getId());
                }
                if (lane.getChildLaneSet() != null) {
                    lanesWithoutShape(List.of(lane.getChildLaneSet()), where, shaped, missing);
                }
            }
        }
    }

    private static Set<String> ids(Stream<BaseElement> elements) {
        return elements.filter(Objects::nonNull).map(BaseElement::getId).collect(Collectors.toSet());
    }

    private static BpmnModelInstance read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return Bpmn.readModelFromStream(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> modelsUnder(Path root) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".bpmn")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
