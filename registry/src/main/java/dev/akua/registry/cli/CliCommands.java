package dev.akua.registry.cli;

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
                new dev.akua.registry.feature.auth.UserCommand(), new dev.akua.registry.feature.auth.TokenCommand(), new dev.akua.registry.feature.auth.PermissionsCommand(),
                new dev.akua.registry.feature.lock.LockCommand(),
                new dev.akua.registry.feature.helm.HelmMirrorCommand(),
                new dev.akua.registry.feature.publish.PublishCommand(),
                new dev.akua.registry.feature.signing.VerifyCommand(), new dev.akua.registry.feature.signing.SigningKeyCommand(),
                new dev.akua.registry.feature.maintenance.MaintenanceCommand(dev.akua.registry.feature.maintenance.MaintenanceCommand.Task.GC),
                new dev.akua.registry.feature.maintenance.MaintenanceCommand(dev.akua.registry.feature.maintenance.MaintenanceCommand.Task.RETENTION),
                new dev.akua.registry.feature.maintenance.MaintenanceCommand(dev.akua.registry.feature.maintenance.MaintenanceCommand.Task.SCRUB),
                new dev.akua.registry.feature.maintenance.MaintenanceCommand(dev.akua.registry.feature.maintenance.MaintenanceCommand.Task.PURGE),
                new dev.akua.registry.feature.mirror.MirrorCommand(), new dev.akua.registry.feature.mirror.ExportCommand(),
                new dev.akua.registry.feature.mirror.ImportCommand());
    }
}
