package dev.ferry.core.api;

import dev.ferry.core.model.Bundle;
import dev.ferry.core.model.DiffEntry;
import dev.ferry.core.model.Digest;
import dev.ferry.core.run.RunSpec;
import java.util.List;

/**
 * The bodies of the HTTP API (docs/http-api.yaml) that are not model records themselves, shared by
 * the server and the client so that both sides agree by construction.
 */
public final class Wire {
    private Wire() {}

    public record CreateRepo(String name, String description) {}

    /** {@code expect}: null (move whatever it names), "absent" (create only) or the bundle id it must name now. */
    public record SetLabel(String bundle, String expect) {}

    /** Paths are on the server's machine: only a server bound to loopback accepts them. */
    public record Download(String destination, String nameFilter, boolean force) {}

    public record DownloadFile(String path, String destination, boolean force) {}

    public record Update(String destination) {}

    public record SubmitRun(RunSpec spec, String idempotencyKey) {}

    /**
     * One invocation of the ferry CLI that a thin client hands to the local server of its FERRY_HOME
     * (over its command socket, {@link CommandFrames}): its arguments, working directory and
     * environment, whether its stderr is a terminal (and how wide), and the build it is (the server
     * runs only commands of its own build).
     */
    public record Command(List<String> args, String cwd, java.util.Map<String, String> env, boolean interactive,
            int columns, String build) {}

    public record Digests(List<Digest> digests) {
        public Digests {
            digests = digests == null ? List.of() : List.copyOf(digests);
        }
    }

    /** {@code POST /packs}: blobs received, and of those the ones the store did not have yet. */
    public record PackReceipt(int blobs, long newBlobs, long newBytes, int packs) {}

    /** {@code GET /manifests/{digest}}: whether a committed bundle has this manifest. */
    public record ManifestState(Digest manifest, boolean committed) {}

    public record Fsck(boolean readData, boolean repair) {}

    /** {@code POST /tokens}. */
    public record CreateToken(String name, String tables, boolean readOnly) {}

    /** A new token and its secret, which is shown this once and never stored. */
    public record CreatedToken(dev.ferry.core.auth.Token token, String secret) {}

    public record Gc(long graceSeconds, boolean dryRun) {}

    public record Diff(Bundle from, Bundle to, List<DiffEntry> changes) {}

    /** Every error response: the code of the error table, the message, what to do, and the CLI's exit code. */
    public record Error(String code, String message, String hint, int exitCode) {}

    public record ErrorBody(Error error) {}

    /** The answer to a worker's report: whether its run was asked to stop. */
    public record WorkerAnswer(boolean cancelled) {}

    /** {@code GET /health}: unauthenticated, so that a client can tell "not running" from "wrong token". */
    public record Health(String status, String version, long pid, int activeRuns, String executor) {}

    /** {@code GET /store}: where the server keeps its catalog and packs, once both answered. */
    public record StoreCheck(String catalog, String packs) {}

    /** {@code GET /version}: what this server speaks. */
    public record Version(String version, String api, int storageFormat, List<String> ingestApiVersions) {}
}
