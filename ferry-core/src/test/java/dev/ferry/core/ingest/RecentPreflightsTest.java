package dev.ferry.core.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.ingest.dataset.DatasetBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecentPreflightsTest {
    static final ConfigFlags PETS = new ConfigFlags("pets", "image_classification", "train", "label", null, null, null,
            null, null, null, null, null, null);

    @TempDir
    Path tmp;

    @Test
    void anIngestionTakesThePushCommandsPreflightOnceWhileTheRecordsFileIsAsItWasRead() throws Exception {
        Path dir = new DatasetBuilder(tmp.resolve("pets")).csv("filename,label", "p0.jpg,cat", "p1.jpg,dog")
                .images("p", 2, 32, 32).dir();
        Preflight.Result offered = Preflight.runKeepingRows(dir, null, PETS);
        RecentPreflights.offer(offered);
        assertThat(Preflight.forIngestion(dir, null, PETS)).isSameAs(offered);
        Preflight.Result again = Preflight.forIngestion(dir, null, PETS);
        assertThat(again).as("taken once: the next ingestion checks for itself").isNotSameAs(offered);
        assertThat(again.dataset().rows().size()).isEqualTo(2);

        // the records file rewritten after the command read it: the ingestion reads it again
        RecentPreflights.offer(Preflight.runKeepingRows(dir, null, PETS));
        Files.writeString(dir.resolve("labels.csv"), "filename,label\np0.jpg,dog\np1.jpg,dog\n");
        Files.setLastModifiedTime(dir.resolve("labels.csv"), FileTime.fromMillis(0)); // a changed mtime set back is still seen
        Preflight.Result fresh = Preflight.forIngestion(dir, null, PETS);
        assertThat(fresh.dataset().rows().rows()).extracting(r -> r.get(3)).containsExactly("dog", "dog");

        // another dataset's preflight is never taken; a failed one is not offered
        Path other = new DatasetBuilder(tmp.resolve("other")).csv("filename,label", "q0.jpg,cat", "q1.jpg,dog")
                .images("q", 2, 32, 32).dir();
        RecentPreflights.offer(Preflight.runKeepingRows(other, null, PETS));
        assertThat(Preflight.forIngestion(dir, null, PETS).dataset().rows().rows()).extracting(r -> r.get(3))
                .containsExactly("dog", "dog");
        Files.delete(other.resolve("images/q1.jpg"));
        Preflight.Result failed = Preflight.runKeepingRows(other, null, PETS);
        assertThat(failed.ok()).isFalse();
        RecentPreflights.offer(failed);
        assertThat(Preflight.forIngestion(other, null, PETS)).isNotSameAs(failed);
    }
}
