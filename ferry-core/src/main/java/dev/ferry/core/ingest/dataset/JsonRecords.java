package dev.ferry.core.ingest.dataset;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.Consumer;

/**
 * A JSON records file: either one array of objects, or one object per line (JSON Lines). Columns are
 * the keys in order of first appearance; nested values are kept as their JSON text.
 */
final class JsonRecords implements RecordsSource {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final Path file;
    private final String name;
    private final List<String> columns;

    JsonRecords(Path file, String name) {
        this.file = file;
        this.name = name;
        LinkedHashSet<String> keys = new LinkedHashSet<>();
        read((line, object) -> object.fieldNames().forEachRemaining(keys::add));
        this.columns = List.copyOf(keys);
    }

    @Override
    public List<String> columns() {
        return columns;
    }

    @Override
    public void forEach(Consumer<Record> action) {
        long[] number = {0};
        read((line, object) -> {
            List<String> values = new ArrayList<>(columns.size());
            for (String c : columns) {
                JsonNode v = object.get(c);
                values.add(v == null || v.isNull() ? null : v.isValueNode() ? v.asText() : v.toString());
            }
            action.accept(new Record(++number[0], line, values));
        });
    }

    private void read(java.util.function.BiConsumer<Long, JsonNode> action) {
        try (JsonParser p = new JsonFactory(MAPPER).createParser(file.toFile())) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new DatasetProblem(name + " is empty");
            }
            if (first == JsonToken.START_ARRAY) {
                while (p.nextToken() == JsonToken.START_OBJECT) {
                    action.accept(p.currentLocation().getLineNr() + 0L, MAPPER.readTree(p));
                }
                if (p.currentToken() != JsonToken.END_ARRAY) {
                    throw new DatasetProblem(name + " must be an array of objects; line " + p.currentLocation().getLineNr()
                            + " holds something else");
                }
            } else {
                while (p.currentToken() == JsonToken.START_OBJECT) {
                    action.accept(p.currentLocation().getLineNr() + 0L, MAPPER.readTree(p));
                    p.nextToken();
                }
                if (p.currentToken() != null) {
                    throw new DatasetProblem(name + ": expected one JSON object per line, found " + p.currentToken()
                            + " at line " + p.currentLocation().getLineNr());
                }
            }
        } catch (JsonProcessingException e) {
            throw new DatasetProblem(name + " is not valid JSON at line " + e.getLocation().getLineNr() + ": "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw new DatasetProblem("cannot read " + name + ": " + e.getMessage());
        }
    }

}
