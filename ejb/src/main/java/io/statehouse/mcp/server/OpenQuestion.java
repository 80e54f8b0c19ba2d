package io.statehouse.mcp.server;

import java.util.Map;

/**
 * A user task of a run that waits for the run's caller (marked {@code statehouse.elicit=caller}),
 * as a question to that caller.
 *
 * @param taskId          the open task
 * @param key             names the question among the run's open ones: the task's element id, made
 *                        unique by the task id when several tasks of one element are open
 * @param message         what the caller is asked (the task's name and description)
 * @param requestedSchema the answer's flat JSON schema, from the task's form fields
 */
public record OpenQuestion(String taskId, String key, String message, Map<String, Object> requestedSchema) {
}
