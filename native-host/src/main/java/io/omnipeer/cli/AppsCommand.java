package io.omnipeer.cli;

import picocli.CommandLine.Command;

/**
 * {@code omnipeer apps ...}: the installed apps. Each subcommand is its own class, registered here
 * ({@code usage}: {@link AppsUsageCommand}; list/install/info/enable/disable/remove/keygen/sign: {@link AppsManageCommands}).
 */
@Command(name = "apps", description = "Installed apps and what they use.",
        subcommands = {AppsManageCommands.ListApps.class, AppsManageCommands.Install.class, AppsManageCommands.Info.class,
                AppsManageCommands.Enable.class, AppsManageCommands.Disable.class, AppsManageCommands.Remove.class,
                AppsUsageCommand.class, AppsManageCommands.Keygen.class, AppsManageCommands.Sign.class})
final class AppsCommand extends CommandGroup {
}
