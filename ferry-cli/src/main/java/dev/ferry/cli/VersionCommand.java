package dev.ferry.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;

@Command(name = "version", description = "Print the version of ferry, its storage format and Java.")
final class VersionCommand extends FerryCommand {
    VersionCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run() {
        if (ctx.json()) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("version", VersionInfo.version());
            doc.put("storageFormat", VersionInfo.STORAGE_FORMAT);
            doc.put("java", Runtime.version().toString());
            ctx.printJson(doc);
        } else {
            ctx.out.println(new VersionInfo().getVersion()[0]);
        }
        return 0;
    }
}
