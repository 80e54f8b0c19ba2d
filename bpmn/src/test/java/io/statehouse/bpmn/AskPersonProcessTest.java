package io.statehouse.bpmn;

import static io.statehouse.bpmn.ProcessModels.AskPerson.CANDIDATE_GROUP;
import static io.statehouse.bpmn.ProcessModels.AskPerson.END_ANSWERED;
import static io.statehouse.bpmn.ProcessModels.AskPerson.END_EXPIRED;
import static io.statehouse.bpmn.ProcessModels.AskPerson.PROCESS_KEY;
import static io.statehouse.bpmn.ProcessModels.AskPerson.TASK_ANSWER_QUESTION;
import static io.statehouse.bpmn.ProcessModels.AskPerson.TIMER_NO_ANSWER;
import static io.statehouse.bpmn.ProcessModels.AskPerson.VAR_ANSWER;
import static io.statehouse.bpmn.ProcessModels.AskPerson.VAR_QUESTION;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.complete;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.execute;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.job;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.runtimeService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.task;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.withVariables;

import java.util.Map;

import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.Deployment;
import org.camunda.bpm.engine.test.junit5.ProcessEngineExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(ProcessEngineExtension.class)
@Deployment(resources = "io/statehouse/bpmn/ask-person.bpmn")
class AskPersonProcessTest {

    @Test
    void questionWaitsForTheReviewersGroup() {
        ProcessInstance run = start();

        assertThat(run).isWaitingAt(TASK_ANSWER_QUESTION);
        assertThat(task(run)).hasCandidateGroup(CANDIDATE_GROUP).isNotAssigned();
    }

    @Test
    void answeredQuestionEndsTheRunAfterTheAsyncContinuation() {
        ProcessInstance run = start();

        complete(task(run), withVariables(VAR_ANSWER, "Yes, file it."));

        // The answer is committed before anything else runs: the run waits at the continuation job.
        assertThat(run).isWaitingAt(TASK_ANSWER_QUESTION).variables().containsEntry(VAR_ANSWER, "Yes, file it.");
        execute(job(run));
        assertThat(run).hasPassed(END_ANSWERED).isEnded();
    }

    @Test
    void unansweredQuestionExpires() {
        ProcessInstance run = start();

        execute(job(TIMER_NO_ANSWER, run));

        assertThat(run).hasPassed(END_EXPIRED).hasNotPassed(END_ANSWERED).isEnded();
    }

    private ProcessInstance start() {
        return runtimeService().startProcessInstanceByKey(PROCESS_KEY,
                Map.of(VAR_QUESTION, "May I file the expense report for the Jakarta trip?"));
    }
}
