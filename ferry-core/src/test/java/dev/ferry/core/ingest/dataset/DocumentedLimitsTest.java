package dev.ferry.core.ingest.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.api.IngestSummary;
import dev.ferry.core.ingest.Category;
import dev.ferry.core.ingest.IngestDefaults;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/ingest-config.md states the limits and defaults the checks apply: the numbers here are the code's. */
class DocumentedLimitsTest {
    private static final Path DOC = Path.of("..", "docs", "ingest-config.md");

    private static String doc() throws Exception {
        return Files.readString(DOC);
    }

    @Test
    void theLimitsTableIsTheCode() throws Exception {
        String doc = doc();
        assertThat(doc).contains(String.format("| a label | %,d characters, no control characters", Values.MAX_LABEL));
        assertThat(doc).contains(String.format("| a filename or `mask_id` | %,d characters, no control characters",
                Values.MAX_NAME));
        assertThat(doc).contains(String.format("| any other cell | %,d characters, no NUL |", Values.MAX_CELL));
        assertThat(doc).contains(String.format("| an image | at most %,d pixels declared", ImageProbe.MAX_PIXELS));
        assertThat(doc).contains("never show more than " + Values.SHOWN + " characters of a value");
        assertThat(doc).contains("the summary lists at most " + IngestSummary.LISTED_LABELS + " distinct labels");
    }

    @Test
    void theDefaultsAreTheCode() throws Exception {
        String doc = doc();
        assertThat(doc).contains("minimum " + IngestDefaults.MIN_SIZE + " for every image category");
        assertThat(doc).contains("least the minimum size (" + IngestDefaults.MIN_SIZE + " unless");
        assertThat(doc).contains("the deciles of the label values").satisfies(d -> assertThat(IngestDefaults.DEFAULT_BUCKETS).isEqualTo(10));
        assertThat(doc).contains("time column: `" + IngestDefaults.timeColumn(Category.TIME_SERIES_CLASSIFICATION)
                + "` for time series, `" + IngestDefaults.timeColumn(Category.TIME_TO_EVENT_PREDICTION) + "` for time to event");
        assertThat(doc).contains(String.format("%,d records per chunk", IngestDefaults.CSV_CHUNK_SIZE));
        assertThat(doc).contains("records file: `" + IngestDefaults.RECORDS_FILE + "`");
        // every category has its row in the layout table
        for (Category c : Category.values()) {
            assertThat(doc).contains("| " + c.id() + " |");
        }
    }
}
