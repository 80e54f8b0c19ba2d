package io.statehouse.bpmn;

import java.util.List;

/**
 * The process models that Statehouse deploys at start, as classpath resources of this module.
 * A test keeps this list and the files in {@code io/statehouse/bpmn/} in step.
 */
public final class ProcessModels {

    /** The deployment's name in the engine's repository (Cockpit shows it). */
    public static final String DEPLOYMENT_NAME = "statehouse";

    public static final List<String> RESOURCES = List.of(
            "io/statehouse/bpmn/ask-person.bpmn");

    private ProcessModels() {
    }

    /**
     * "Ask a person": an agent run asks a question and waits, durably, for a person to answer it
     * in the Tasklist.
     */
    public static final class AskPerson {
        public static final String PROCESS_KEY = "AskPersonProcess";
        public static final String TASK_ANSWER_QUESTION = "Task_AnswerQuestion";
        public static final String END_ANSWERED = "EndEvent_QuestionAnswered";
        public static final String END_EXPIRED = "EndEvent_QuestionExpired";
        public static final String TIMER_NO_ANSWER = "BoundaryEvent_NoAnswerInTime";
        /** Who may answer: the group that the demo user belongs to. */
        public static final String CANDIDATE_GROUP = "reviewers";

        public static final String VAR_QUESTION = "question";
        public static final String VAR_CONTEXT = "context";
        public static final String VAR_ANSWER = "answer";

        private AskPerson() {
        }
    }
}
