package dev.ferry.core.home;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.ferry.core.BuildId;
import dev.ferry.core.FerryVersion;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.model.Json;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Optional;

/**
 * The contents of {@code $FERRY_HOME/server.json}: how a CLI reaches the local server. Written
 * atomically with mode 0600 (it holds the bearer token), removed when the server stops.
 */
public record ServerInfo(long pid, String host, int port, String token, String version, Instant startedAt, String build) {

    /** A server of the running build ({@link BuildId}). */
    public static ServerInfo ofThisBuild(long pid, String host, int port, String token, Instant startedAt) {
        return new ServerInfo(pid, host, port, token, FerryVersion.current(), startedAt, BuildId.current());
    }

    /** Whether the server runs the very code of this process (same version and the same jar). */
    public boolean sameBuild() {
        return FerryVersion.current().equals(version) && BuildId.current().equals(build);
    }

    public String url() {
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /** Whether the process that wrote it still exists. */
    public boolean processAlive() {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    public static Optional<ServerInfo> read(Path file) {
        try {
            return Optional.of(Json.MAPPER.readValue(Files.readAllBytes(file), ServerInfo.class));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (JsonProcessingException e) {
            return Optional.empty(); // half-written by a crashed writer: as good as absent
        } catch (IOException e) {
            throw new FerryException(ErrorCode.LOCAL_ENVIRONMENT, "cannot read " + file + ": " + e.getMessage(),
                    "check the permissions of FERRY_HOME", e);
        }
    }

    public void write(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Path temp = file.resolveSibling(file.getFileName() + ".tmp-" + ProcessHandle.current().pid());
            Files.deleteIfExists(temp);
            Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(temp, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(this));
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new FerryException(ErrorCode.LOCAL_ENVIRONMENT, "cannot write " + file + ": " + e.getMessage(),
                    "check the permissions of FERRY_HOME", e);
        }
    }

    /** Removes the file if it still describes this server (a newer server may have replaced it). */
    public void removeIfMine(Path file) {
        read(file).filter(this::equals).ifPresent(mine -> {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // the next CLI sees a dead pid and cleans it
            }
        });
    }
}
