package dev.akua.registry.auth.cli;

import java.util.Objects;

/**
 * What a CLI command produced: the exit code and the text for standard output and standard
 * error. Exit codes: {@link #OK} 0, {@link #FAILED} 1 (the command could not do what was asked:
 * unknown user, name taken), {@link #USAGE} 2 (invalid arguments).
 *
 * @param exitCode the process exit code
 * @param out      text for standard output (ends with a newline when not empty)
 * @param err      text for standard error (ends with a newline when not empty)
 */
public record CommandResult(int exitCode, String out, String err) {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;

    public CommandResult {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(err, "err");
    }

    static CommandResult ok(String out) {
        return new CommandResult(OK, terminated(out), "");
    }

    static CommandResult failed(String err) {
        return new CommandResult(FAILED, "", terminated(err));
    }

    static CommandResult usage(String err) {
        return new CommandResult(USAGE, "", terminated(err));
    }

    private static String terminated(String s) {
        return s.isEmpty() || s.endsWith("\n") ? s : s + "\n";
    }
}
