package dev.ferry.core.rows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A filter is written again from a whitelist, values bound: the user's text never reaches the engine. */
class RowFilterTest {
    private static final List<String> COLUMNS = List.of("data_id", "label", "score", "count", "odd \"name\"");

    @Test
    void theAllowedFormsAreWrittenAgainWithEveryValueBound() {
        RowFilter f = RowFilter.parse("label = 'cat' AND (score > 0.5 OR count <= -3) AND NOT label LIKE 'd%'", COLUMNS);
        assertThat(f.sql()).isEqualTo("(((\"label\" = ?) AND (((\"score\" > ?) OR (\"count\" <= ?)))) AND (NOT (\"label\" LIKE ?)))");
        assertThat(f.parameters()).containsExactly("cat", 0.5, -3L, "d%");
        RowFilter in = RowFilter.parse("(label IN ('cat', 'dog')) AND score BETWEEN 1 AND 2.5 AND data_id IS NOT NULL", COLUMNS);
        assertThat(in.sql()).contains("(\"label\" IN (?, ?))", "(\"score\" BETWEEN ? AND ?)", "(\"data_id\" IS NOT NULL)");
        assertThat(in.parameters()).containsExactly("cat", "dog", 1L, 2.5);
        assertThat(RowFilter.parse("\"odd \"\"name\"\"\" ILIKE '%x%' AND label <> count", COLUMNS).sql())
                .isEqualTo("((\"odd \"\"name\"\"\" ILIKE ?) AND (\"label\" <> \"count\"))");
    }

    @Test
    void everythingElseIsRefusedWithWhatAFilterMayBe() {
        List<String> accepted = new java.util.ArrayList<>();
        for (String bad : List.of(
                "read_text('/etc/passwd') IS NOT NULL",          // a function: files
                "label = getenv('FERRY_TOKEN')",                  // a function: the server's secrets
                "label = (SELECT current_setting('threads'))",   // a subquery
                "label IN (SELECT label FROM other)",             // another table
                "label = 'a'; DROP TABLE rows",                   // a second statement
                "CAST(score AS VARCHAR) = '1'",                   // a cast
                "score + 1 > 2",                                  // arithmetic
                "label SIMILAR TO 'c.*'",                         // a regular expression
                "other.label = 'x'",                              // a qualified column
                "nosuch = 1",                                     // not a column
                "",                                               // nothing
                "label = ")) {                                    // not a condition
            try {
                RowFilter.parse(bad, COLUMNS);
                accepted.add(bad);
            } catch (FerryException e) {
                assertThat(e.code()).as(bad).isEqualTo(ErrorCode.INVALID_ARGUMENT);
            }
        }
        assertThat(accepted).as("accepted, though they must not be").isEmpty();
        // the parser takes "x IN (...) AND y" as IN ((...) AND y): refused, with how to write it
        assertThatThrownBy(() -> RowFilter.parse("label IN ('cat') AND score > 1", COLUMNS))
                .satisfies(e -> assertThat(((FerryException) e).hint()).contains("(label IN ('cat', 'dog')) AND"));
        assertThatThrownBy(() -> RowFilter.parse("upper(label) = 'CAT'", COLUMNS)).hasMessageContaining("which a filter may not")
                .satisfies(e -> assertThat(((FerryException) e).hint()).contains("e.g. label = 'cat'"));
        assertThatThrownBy(() -> RowFilter.parse("nosuch = 1", COLUMNS)).hasMessageContaining("not a column of this table")
                .satisfies(e -> assertThat(((FerryException) e).hint()).contains("data_id, label"));
    }
}
