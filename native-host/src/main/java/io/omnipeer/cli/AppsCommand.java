package io.omnipeer.cli;

import picocli.CommandLine.Command;

/**
 * {@code omnipeer apps ...}: the installed apps. Each subcommand is its own class, registered here
 * ({@code usage}: {@link AppsUsageCommand}).
 */
@Command(name = "apps", description = "Installed apps and what they use.",
        subcommands = {AppsUsageCommand.class})
final class AppsCommand extends CommandGroup {
}
