package dev.akua.registry.cli;

import dev.akua.registry.feature.maintenance.MaintenanceCommand;

import java.util.List;

/**
 * Every subcommand besides {@code serve}, {@code config}, {@code version} and {@code help}.
 * Adding one is one line here.
 */
public final class CliCommands {
    private CliCommands() {
    }

    public static List<CliCommand> all() {
        return List.of(
                new MaintenanceCommand(MaintenanceCommand.Task.GC),
                new MaintenanceCommand(MaintenanceCommand.Task.RETENTION),
                new MaintenanceCommand(MaintenanceCommand.Task.SCRUB),
                new MaintenanceCommand(MaintenanceCommand.Task.PURGE));
    }
}
