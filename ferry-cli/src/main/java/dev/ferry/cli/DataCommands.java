package dev.ferry.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The names users of the tracebloc CLI type: {@code data ingest} (= {@code dataset push}),
 * {@code data validate} (= {@code ingest validate}), {@code data list}, {@code data delete}.
 */
@Command(name = "data", description = "The tracebloc CLI's names: data ingest|validate|list|delete (= dataset push, ingest validate, dataset list, dataset delete).",
        subcommands = {IngestCommands.Validate.class, DatasetCommands.ListDatasets.class, DatasetCommands.Delete.class})
final class DataCommands extends CommandGroup {
    /** `data ingest`: the push command under its tracebloc name (added by name: its own is push). */
    static CommandLine withIngest(CommandLine data, CommandLine.IFactory factory) {
        CommandLine ingest = new CommandLine(DatasetCommands.Push.class, factory);
        ingest.getCommandSpec().name("ingest"); // its usage says the name it was called by
        return data.addSubcommand("ingest", ingest);
    }
}
