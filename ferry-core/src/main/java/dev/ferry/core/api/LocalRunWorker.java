package dev.ferry.core.api;

import dev.ferry.core.ingest.ConfigFlags;
import dev.ferry.core.model.Json;
import dev.ferry.core.run.RunContext;
import dev.ferry.core.run.RunOutcome;
import dev.ferry.core.run.RunSpec;
import dev.ferry.core.run.RunWorker;
import java.nio.file.Path;

/** The work of each run kind against this process's store: uploads read the folder where the server runs. */
final class LocalRunWorker implements RunWorker {
    private final LocalFerry ferry;

    LocalRunWorker(LocalFerry ferry) {
        this.ferry = ferry;
    }

    @Override
    public RunOutcome run(RunSpec spec, RunContext ctx) {
        return switch (spec) {
            case RunSpec.Upload u -> {
                Path path = u.staged() != null ? named(u.path()) : path(u.path(), "path");
                UploadResult r = ferry.uploadNow(new UploadRequest(path, u.repo(), u.message(), u.label()), u.staged(),
                        ctx);
                yield r.created() ? RunOutcome.completed(Json.MAPPER.valueToTree(r))
                        : RunOutcome.delegated(Json.MAPPER.valueToTree(r), "identical content: bundle " + r.bundle().id());
            }
            case RunSpec.Push p -> {
                ConfigFlags flags = p.flags() == null ? ConfigFlags.NONE : p.flags();
                PushResult r = p.staged() != null
                        ? ferry.pushStaged(new PushRequest(named(p.path()), null, flags, p.message(), p.label()),
                                p.staged(), p.configText(), ctx)
                        : ferry.pushNow(new PushRequest(path(p.path(), "path"),
                                p.configFile() == null ? null : path(p.configFile(), "configFile"), flags, p.message(),
                                p.label()), ctx);
                yield r.newVersion() ? RunOutcome.completed(Json.MAPPER.valueToTree(r))
                        : RunOutcome.delegated(Json.MAPPER.valueToTree(r),
                                "identical content: version " + r.bundle().id() + " of " + r.table());
            }
        };
    }

    /** The client's folder of a staged run: only a name for messages, never read here. */
    private static Path named(String text) {
        try {
            return Path.of(text == null || text.isBlank() ? "uploaded folder" : text);
        } catch (java.nio.file.InvalidPathException e) {
            return Path.of("uploaded folder");
        }
    }

    private static Path path(String text, String field) {
        if (text == null || text.isBlank()) {
            throw dev.ferry.core.error.FerryException.invalid("the run spec has no " + field, "send an absolute path");
        }
        Path p = Path.of(text);
        if (!p.isAbsolute()) {
            throw dev.ferry.core.error.FerryException.invalid("the run spec's " + field + " must be absolute: " + text,
                    "send the absolute path of the folder on the server's machine");
        }
        return p;
    }
}
