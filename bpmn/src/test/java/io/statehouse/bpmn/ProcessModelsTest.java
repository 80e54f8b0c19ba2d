package io.statehouse.bpmn;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.instance.Process;
import org.camunda.bpm.model.bpmn.instance.UserTask;
import org.junit.jupiter.api.Test;

class ProcessModelsTest {

    @Test
    void everyModelFormAndCatalogFileInTheModuleIsDeployed() throws IOException {
        Path root = Path.of("src/main/resources");
        try (Stream<Path> files = Files.walk(root.resolve("io/statehouse/bpmn"))) {
            List<String> resources = files.filter(Files::isRegularFile)
                    .map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .toList();
            var deployed = new ArrayList<>(ProcessModels.RESOURCES);
            deployed.addAll(ProcessModels.DEMO_RESOURCES);
            assertThat(deployed).containsExactlyInAnyOrderElementsOf(resources);
        }
    }

    @Test
    void everyFormKeyNamesADeployedForm() {
        for (String resource : models()) {
            var model = Bpmn.readModelFromStream(ProcessModels.class.getClassLoader().getResourceAsStream(resource));
            for (var task : model.getModelElementsByType(UserTask.class)) {
                String formKey = task.getCamundaFormKey();
                if (formKey != null && formKey.startsWith("embedded:deployment:")) {
                    assertThat(ProcessModels.RESOURCES).as(task.getId()).contains(formKey.substring("embedded:deployment:".length()));
                }
            }
        }
    }

    @Test
    void everyProcessIsExecutableWithAHistoryTimeToLive() {
        for (String resource : models()) {
            var model = Bpmn.readModelFromStream(ProcessModels.class.getClassLoader().getResourceAsStream(resource));
            Bpmn.validateModel(model);
            for (Process process : model.getModelElementsByType(Process.class)) {
                assertThat(process.isExecutable()).as(resource).isTrue();
                assertThat(process.getCamundaHistoryTimeToLiveString()).as(resource).isNotBlank();
                assertThat(process.getId()).as(resource).endsWith("Process");
            }
        }
    }

    private static List<String> models() {
        return Stream.concat(ProcessModels.RESOURCES.stream(), ProcessModels.DEMO_RESOURCES.stream()).filter(r -> r.endsWith(".bpmn")).toList();
    }
}
