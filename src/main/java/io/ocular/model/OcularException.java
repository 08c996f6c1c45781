package io.ocular.model;

/**
 * A failure the user can act on. The message is shown as is (CLI, inline in the UI), so it must say
 * what happened and what to do, without a stack trace.
 */
public class OcularException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public OcularException(String message) {
        super(message);
    }

    public OcularException(String message, Throwable cause) {
        super(message, cause);
    }
}
