package io.statehouse.engine;

import org.camunda.bpm.engine.BadUserRequestException;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.impl.form.validator.FormFieldValidationException;
import org.camunda.bpm.engine.impl.interceptor.Command;
import org.camunda.bpm.engine.impl.interceptor.CommandInterceptor;

/**
 * Lets a {@link FormFieldValidationException} or {@link BadUserRequestException} that a listener
 * throws (an answer that does not fit the question's schema) reach the caller as itself: the engine
 * wraps listener exceptions, which would turn a person's mistake into a server error (HTTP 500) in
 * the REST API and the Tasklist instead of a 400 that names the fields.
 */
final class BadRequestsUnwrapped extends CommandInterceptor {

    @Override
    public <T> T execute(Command<T> command) {
        try {
            return next.execute(command);
        } catch (ProcessEngineException e) {
            for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
                if (cause instanceof FormFieldValidationException || cause instanceof BadUserRequestException) {
                    throw (ProcessEngineException) cause;
                }
            }
            throw e;
        }
    }
}
