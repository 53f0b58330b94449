package dev.ferry.core.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.serialization.node.LocationJsonNodeFactory;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads an ingest config file (YAML, or JSON by its extension) into a tree that knows its line numbers:
 * every node carries where its token started, for the schema validator's errors ({@link IngestSchema}).
 */
public final class ConfigDocument {
    private static final JsonFactory JSON = new JsonFactory();
    private static final YAMLFactory YAML = new YAMLFactory();

    private ConfigDocument() {}

    /** The document, or null if the file is empty. LOCAL_PATH (exit 3) if unreadable or not YAML/JSON. */
    public static JsonNode read(Path file) {
        String text;
        try {
            byte[] bytes = Files.readAllBytes(file);
            text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (NoSuchFileException e) {
            throw new FerryException(ErrorCode.LOCAL_PATH, "config file does not exist: " + file, "check the path");
        } catch (AccessDeniedException e) {
            throw new FerryException(ErrorCode.LOCAL_PATH, "cannot read config file " + file + ": permission denied",
                    "check its permissions");
        } catch (CharacterCodingException e) {
            throw new FerryException(ErrorCode.LOCAL_PATH, "config file " + file + " is not UTF-8 text",
                    "save it as UTF-8");
        } catch (IOException e) {
            throw new FerryException(ErrorCode.LOCAL_PATH, "cannot read config file " + file + ": " + e.getMessage(),
                    null, e);
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        boolean json = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".json");
        try (JsonParser parser = (json ? JSON : YAML).createParser(text)) {
            JsonNode node = JsonTrees.read(parser, new LocationJsonNodeFactory(parser));
            return node == null || node.isNull() ? null : node;
        } catch (JsonProcessingException e) {
            throw notParsable(file, json, e);
        } catch (IOException e) {
            throw new FerryException(ErrorCode.LOCAL_PATH, "cannot parse config file " + file + ": " + e.getMessage(),
                    null, e);
        }
    }

    private static FerryException notParsable(Path file, boolean json, JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
        return new FerryException(ErrorCode.LOCAL_PATH, file + " is not valid " + (json ? "JSON" : "YAML") + where
                + ": " + firstLine(e.getOriginalMessage()), "fix the syntax (an ingest config is a YAML mapping)");
    }

    private static String firstLine(String message) {
        if (message == null) return "syntax error";
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
