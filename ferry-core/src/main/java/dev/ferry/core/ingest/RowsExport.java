package dev.ferry.core.ingest;

import blue.strategic.parquet.ParquetWriter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/**
 * Writes a rows table (stored as JSON Lines) as CSV, JSON Lines or Parquet. Parquet columns are typed
 * where the config's SQL type maps cleanly (integers, floating point, booleans), UTF-8 strings
 * otherwise; empty values are nulls.
 */
public final class RowsExport {
    public enum Format { PARQUET, CSV, JSONL }

    private static final ObjectMapper JSON = new ObjectMapper();

    private RowsExport() {}

    /** The SQL types of the schema columns of an ingested version (its resolved config's {@code schema}). */
    public static Map<String, SqlType> schemaTypes(dev.ferry.core.model.Ingestion ingestion) {
        Map<String, SqlType> types = new java.util.LinkedHashMap<>();
        try {
            JSON.readTree(ingestion.config()).path("schema").fields()
                    .forEachRemaining(e -> types.put(e.getKey(), SqlType.parse(e.getValue().asText())));
        } catch (IOException e) {
            throw new FerryException(ErrorCode.DATA_CORRUPT, "the stored config of " + ingestion.repo() + " is not JSON",
                    "run 'ferry fsck'", e);
        }
        return types;
    }

    public static Format format(String name) {
        try {
            return Format.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw FerryException.invalid("unknown export format '" + name + "'", "use parquet, csv or jsonl");
        }
    }

    public static void write(InputStream rows, List<String> columns, Map<String, SqlType> types, Format format,
            OutputStream out) {
        try {
            switch (format) {
                case JSONL -> rows.transferTo(out);
                case CSV -> csv(rows, columns, out);
                case PARQUET -> parquet(rows, columns, types, out);
            }
            out.flush();
        } catch (IOException e) {
            throw new FerryException(ErrorCode.LOCAL_ENVIRONMENT, "cannot write the export: " + e.getMessage(), null, e);
        }
    }

    private static void csv(InputStream rows, List<String> columns, OutputStream out) throws IOException {
        Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        // flushed, never closed: `out` is the caller's, and may be this process's stdout
        CSVPrinter printer = new CSVPrinter(writer, CSVFormat.RFC4180.builder().setRecordSeparator("\n").build());
        printer.printRecord(columns);
        forEachRow(rows, row -> {
            List<String> values = new ArrayList<>(columns.size());
            for (String c : columns) {
                JsonNode v = row.get(c);
                values.add(v == null || v.isNull() ? "" : v.asText());
            }
            printer.printRecord(values);
        });
        printer.flush();
    }

    private static void parquet(InputStream rows, List<String> columns, Map<String, SqlType> types, OutputStream out)
            throws IOException {
        Types.MessageTypeBuilder schema = Types.buildMessage();
        for (String c : columns) {
            schema.addField(field(c, types.get(c)));
        }
        MessageType message = schema.named("rows");
        // the writer needs a file: write one, then copy it where it was asked to go (maybe stdout)
        Path temp = Files.createTempFile("ferry-export-", ".parquet");
        Files.delete(temp);
        try {
            try (ParquetWriter<JsonNode> writer = ParquetWriter.writeFile(message, temp.toFile(), (row, values) -> {
                for (String c : columns) {
                    Object v = value(row.get(c), types.get(c));
                    if (v != null) {
                        values.write(c, v);
                    }
                }
            })) {
                forEachRow(rows, writer::write);
            }
            Files.copy(temp, out);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static Type field(String name, SqlType type) {
        SqlType.Kind kind = type == null ? SqlType.Kind.STRING : type.kind();
        return switch (kind) {
            case TINYINT, SMALLINT, MEDIUMINT, INT -> Types.optional(PrimitiveTypeName.INT32).named(name);
            case BIGINT -> Types.optional(PrimitiveTypeName.INT64).named(name);
            case FLOAT -> Types.optional(PrimitiveTypeName.FLOAT).named(name);
            case DOUBLE -> Types.optional(PrimitiveTypeName.DOUBLE).named(name);
            case BOOLEAN -> Types.optional(PrimitiveTypeName.BOOLEAN).named(name);
            default -> Types.optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named(name);
        };
    }

    private static Object value(JsonNode v, SqlType type) {
        if (v == null || v.isNull() || v.asText().isEmpty()) {
            return null;
        }
        String text = v.asText().trim();
        SqlType.Kind kind = type == null ? SqlType.Kind.STRING : type.kind();
        if (type != null && !type.isText() && SqlType.isNa(text)) {
            return null; // NA-like values are NULL in a typed column (the checks let them through as such)
        }
        return switch (kind) {
            case TINYINT, SMALLINT, MEDIUMINT, INT -> Integer.parseInt(text.startsWith("+") ? text.substring(1) : text);
            case BIGINT -> Long.parseLong(text.startsWith("+") ? text.substring(1) : text);
            case FLOAT -> SqlType.number(text).floatValue();
            case DOUBLE -> SqlType.number(text);
            case BOOLEAN -> switch (text.toLowerCase(Locale.ROOT)) {
                case "true", "t", "yes", "y", "1" -> true;
                default -> false;
            };
            default -> v.asText();
        };
    }

    /** Each row of a JSON Lines stream. */
    public static void forEachRow(InputStream rows, RowAction action) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(rows, StandardCharsets.UTF_8));
        try (MappingIterator<JsonNode> it = JSON.readerFor(JsonNode.class).readValues(reader)) {
            while (it.hasNext()) {
                action.accept(it.next());
            }
        }
    }

    @FunctionalInterface
    public interface RowAction {
        void accept(JsonNode row) throws IOException;
    }
}
