package dev.ferry.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The servers this user talks to, by name, like kubectl's contexts: {@code FERRY_HOME/contexts.yaml}
 * (mode 0600: it holds tokens), with the current one. A command uses {@code --server}/FERRY_SERVER if
 * given, else {@code --context NAME}, else the current context, else the local server.
 */
final class Contexts {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    /**
     * One server and the token to use with it; or a Kubernetes release ({@code kubernetes}), reached
     * by port-forward with a ServiceAccount token minted for each command.
     */
    record Context(String server, String token, Kube kubernetes) {
        Context(String server, String token) {
            this(server, token, null);
        }

        /** For listings: the server, or where the release is. */
        String shown() {
            return kubernetes == null ? server : "kubernetes: namespace " + kubernetes.namespace()
                    + (kubernetes.context() == null ? "" : " of context " + kubernetes.context())
                    + (kubernetes.kubeconfig() == null ? "" : " (" + kubernetes.kubeconfig() + ")");
        }
    }

    /** A release found through a kubeconfig (null: KUBECONFIG, else ~/.kube/config) and its context. */
    record Kube(String kubeconfig, String context, String namespace) {}

    /** The file's content. */
    record File(String current, TreeMap<String, Context> contexts) {
        File {
            contexts = contexts == null ? new TreeMap<>() : new TreeMap<>(contexts);
        }
    }

    private Contexts() {}

    static Path path(Path home) {
        return home.resolve("contexts.yaml");
    }

    static File load(Path home) {
        Path file = path(home);
        if (!Files.exists(file)) {
            return new File(null, null);
        }
        try {
            File read = YAML.readValue(file.toFile(), File.class);
            return read == null ? new File(null, null) : read;
        } catch (IOException e) {
            throw new FerryException(ErrorCode.LOCAL_ENVIRONMENT, "cannot read " + file + ": " + e.getMessage(),
                    "fix or delete it, then 'ferry login' again", e);
        }
    }

    static void save(Path home, File contexts) {
        Path file = path(home);
        try {
            Files.createDirectories(home);
            Path partial = file.resolveSibling("contexts.yaml.partial");
            Files.deleteIfExists(partial);
            Files.createFile(partial, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(partial, YAML.writeValueAsString(contexts));
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new FerryException(ErrorCode.LOCAL_ENVIRONMENT, "cannot write " + file + ": " + e.getMessage(),
                    "check that FERRY_HOME is writable", e);
        }
    }

    /** The context a command uses: the one named (an error if unknown), else the current one, if any. */
    static Optional<Context> selected(Path home, String name) {
        File all = load(home);
        String wanted = name != null ? name : all.current();
        if (wanted == null) {
            return Optional.empty();
        }
        Context found = all.contexts().get(wanted);
        if (found == null) {
            throw FerryException.invalid("no context named '" + wanted + "'" + (name == null ? " (the current one)" : ""),
                    "see 'ferry context list', or add one with 'ferry login --server URL --name " + wanted + "'");
        }
        return Optional.of(found);
    }
}
