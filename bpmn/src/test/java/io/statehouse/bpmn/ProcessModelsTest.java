package io.statehouse.bpmn;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.instance.Process;
import org.junit.jupiter.api.Test;

class ProcessModelsTest {

    @Test
    void everyModelInTheModuleIsDeployed() throws IOException {
        Path root = Path.of("src/main/resources/io/statehouse/bpmn");
        try (Stream<Path> files = Files.list(root)) {
            List<String> models = files.map(p -> "io/statehouse/bpmn/" + p.getFileName())
                    .filter(name -> name.endsWith(".bpmn"))
                    .toList();
            assertThat(ProcessModels.RESOURCES).containsExactlyInAnyOrderElementsOf(models);
        }
    }

    @Test
    void everyProcessIsExecutableWithAHistoryTimeToLive() {
        for (String resource : ProcessModels.RESOURCES) {
            var model = Bpmn.readModelFromStream(ProcessModels.class.getClassLoader().getResourceAsStream(resource));
            Bpmn.validateModel(model);
            for (Process process : model.getModelElementsByType(Process.class)) {
                assertThat(process.isExecutable()).as(resource).isTrue();
                assertThat(process.getCamundaHistoryTimeToLiveString()).as(resource).isNotBlank();
                assertThat(process.getId()).as(resource).endsWith("Process");
            }
        }
    }
}
