package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The dataset checks' progress on a terminal: nothing for quick checks, and a stop once the command is interrupted. */
class CheckProgressTest {
    @Test
    void quickChecksDrawNothingAndAnInterruptedCommandStopsItsChecks() {
        StringWriter err = new StringWriter();
        CliContext ctx = new CliContext(Map.of(), new PrintWriter(new StringWriter()), new PrintWriter(err), true);
        try (CheckProgress progress = new CheckProgress(ctx)) {
            progress.records(10, 0);
            progress.records(20, 20);
            assertThat(err.toString()).as("within the first second: no bar").isEmpty();
            Thread.currentThread().interrupt(); // what a client gone away does to its command
            try {
                assertThatThrownBy(() -> progress.records(30, 40)).isInstanceOf(FerryException.class)
                        .satisfies(e -> assertThat(((FerryException) e).code()).isEqualTo(ErrorCode.INTERRUPTED));
            } finally {
                Thread.interrupted();
            }
        }
    }
}
