package dev.akua.registry.cli;

import dev.akua.registry.config.RegistryConfig;

import java.io.PrintStream;
import java.util.List;

/**
 * A subcommand of the runnable jar ({@code akua-registry <name> …}). Commands get the loaded
 * configuration (same file and environment as {@code serve}) and return an exit code:
 * 0 success, 1 a negative result (e.g. drift, policy not met), 2 usage or configuration error.
 */
public interface CliCommand {

    /** The first word on the command line. */
    String name();

    /** One line for {@code help}. */
    String summary();

    int run(List<String> args, RegistryConfig config, PrintStream out, PrintStream err);
}
