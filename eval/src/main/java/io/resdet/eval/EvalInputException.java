package io.resdet.eval;

/**
 * Bad evaluation input (malformed file, unknown id, invalid number). The message is one line and
 * names the file and the offending record or field, so a CLI can print it as it is.
 */
public class EvalInputException extends RuntimeException {
    public EvalInputException(String message) {
        super(message);
    }

    public EvalInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
