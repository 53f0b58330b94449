package dev.ferry.core.ingest.dataset;

import dev.ferry.core.ingest.IngestConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * A CSV records file: strictly UTF-8 (a byte-order mark is allowed), first line the header, parsed
 * by Apache Commons CSV with the config's delimiter, quote and escape characters. Malformed input is
 * a {@link DatasetProblem} naming the line.
 */
final class CsvRecords implements RecordsSource {
    private final Path file;
    private final String name;
    private final CSVFormat format;
    private final List<String> columns;

    CsvRecords(Path file, String name, IngestConfig.CsvOptions options) {
        this.file = file;
        this.name = name;
        CSVFormat.Builder b = CSVFormat.RFC4180.builder()
                .setDelimiter(options.delimiter())
                .setQuote(options.quote())
                .setIgnoreEmptyLines(true)
                .setTrim(false);
        if (options.escape() != null) {
            b.setEscape(options.escape());
        }
        this.format = b.build();
        this.columns = readHeader();
    }

    private List<String> readHeader() {
        try (Reader reader = open(); CSVParser parser = CSVParser.parse(reader, format)) {
            Iterator<CSVRecord> it = parser.iterator();
            if (!it.hasNext()) {
                throw new DatasetProblem(name + " is empty: it needs a header line and data rows");
            }
            List<String> header = new ArrayList<>(it.next().toList());
            if (!header.isEmpty() && header.get(0).startsWith("\uFEFF")) {
                header.set(0, header.get(0).substring(1));
            }
            return List.copyOf(header);
        } catch (IOException | UncheckedIOException e) {
            throw problem(e);
        }
    }

    @Override
    public List<String> columns() {
        return columns;
    }

    @Override
    public void forEach(Consumer<Record> action) {
        try (Reader reader = open(); CSVParser parser = CSVParser.parse(reader, format)) {
            Iterator<CSVRecord> it = parser.iterator();
            it.next(); // the header
            long number = 0;
            while (it.hasNext()) {
                CSVRecord r = it.next();
                number++;
                action.accept(new Record(number, r.getParser().getCurrentLineNumber() - lineSpan(r) + 1, r.toList()));
            }
        } catch (IOException | UncheckedIOException e) {
            throw problem(e);
        }
    }

    /** Lines a record spans (quoted fields may hold line breaks), to report the line it starts on. */
    private static long lineSpan(CSVRecord r) {
        long breaks = 0;
        for (String v : r.values()) {
            for (int i = 0; i < v.length(); i++) {
                if (v.charAt(i) == '\n') breaks++;
            }
        }
        return breaks + 1;
    }

    private Reader open() throws IOException {
        InputStream in = Files.newInputStream(file);
        CharsetDecoder strict = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        return new InputStreamReader(in, strict);
    }

    private DatasetProblem problem(Exception e) {
        Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
        if (cause instanceof CharacterCodingException) {
            return new DatasetProblem(name + " is not UTF-8 text (save it as UTF-8; a byte-order mark is fine)");
        }
        String message = String.valueOf(cause.getMessage());
        return new DatasetProblem(name + " is not a well-formed CSV: " + message);
    }
}
