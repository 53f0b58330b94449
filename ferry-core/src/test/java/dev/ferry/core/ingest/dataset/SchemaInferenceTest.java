package dev.ferry.core.ingest.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaInferenceTest {
    @TempDir
    Path tmp;

    @Test
    void aFileAsItWasIsNotReadAgainAndAChangedOneIs() throws Exception {
        Path csv = Files.writeString(tmp.resolve("t.csv"), "a,b,label\n1,x,cat\n2,y,dog\n");
        var first = SchemaInference.infer(csv, false, "label", false);
        assertThat(first).containsEntry("a", "INT").containsKey("b").doesNotContainKey("label");
        assertThat(SchemaInference.infer(csv, false, "label", false)).isSameAs(first);
        Files.writeString(csv, "a,b,label\n1.5,x,cat\n2,y,dog\n");
        var changed = SchemaInference.infer(csv, false, "label", false);
        assertThat(changed.get("a")).isNotEqualTo("INT");
        assertThat(SchemaInference.infer(csv, false, null, false)).as("another question, another answer").containsKey("label");
    }
}
