package dev.akua.registry.feature.auth;

import dev.akua.registry.auth.cli.CommandResult;

import java.io.PrintStream;

/** Prints an auth command's result and returns its exit code (0 done, 1 refused, 2 usage). */
final class Results {
    private Results() {
    }

    static int print(CommandResult result, PrintStream out, PrintStream err) {
        out.print(result.out());
        err.print(result.err());
        out.flush();
        err.flush();
        return result.exitCode();
    }
}
