package io.statehouse.mcp.server.protocol.rounds;

import java.util.List;
import java.util.Objects;

/**
 * What a server needs again when its client retries a call after a round of questions: the run,
 * which round this is (one use only), and the questions asked, each the run's open task and the key
 * its answer comes under in {@code inputResponses}.
 *
 * @param runId     the process instance the call started
 * @param round     names this round; a retry redeems it, and the state of a redeemed round is refused
 * @param questions the tasks asked about, in the order asked
 */
public record RoundState(String runId, String round, List<Question> questions) {

    public RoundState {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(round, "round");
        questions = List.copyOf(questions);
    }

    /**
     * @param taskId the open task the question stands for
     * @param key    its key in {@code inputRequests} and {@code inputResponses}
     */
    public record Question(String taskId, String key) {

        public Question {
            Objects.requireNonNull(taskId, "taskId");
            Objects.requireNonNull(key, "key");
        }
    }
}
