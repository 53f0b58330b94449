package dev.ferry.core.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.model.ChunkRef;
import dev.ferry.core.model.Digest;
import dev.ferry.core.model.FileEntry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReadBatchesTest {
    private static FileEntry file(int i, long size) {
        List<ChunkRef> chunks = new ArrayList<>();
        for (long left = size; left > 0; left -= 1 << 20) {
            chunks.add(new ChunkRef(Digest.of(("f" + i + ":" + left).getBytes()), (int) Math.min(left, 1 << 20)));
        }
        return new FileEntry("d/f" + i, size, 0644, chunks);
    }

    private static List<FileEntry> files(int count, long size) {
        List<FileEntry> page = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            page.add(file(i, size));
        }
        return page;
    }

    private static List<Integer> sizes(List<List<FileEntry>> batches) {
        return batches.stream().map(List::size).toList();
    }

    @Test
    void localReadsGoSixteenSmallFilesATaskAndBigOnesAlone() {
        List<FileEntry> page = files(40, 50_000);
        assertThat(sizes(ReadBatches.of(page, false))).containsExactly(16, 16, 8);
        page.add(20, file(99, 20L << 20)); // larger than a task's bytes: a task of its own, in its place
        List<List<FileEntry>> batches = ReadBatches.of(page, false);
        assertThat(batches.stream().filter(b -> b.contains(page.get(20))).findFirst().orElseThrow()).hasSize(1);
        assertThat(batches.stream().mapToInt(List::size).sum()).isEqualTo(41);
        // at most 8 MiB a task
        assertThat(sizes(ReadBatches.of(files(6, 3L << 20), false))).containsExactly(2, 2, 2);
    }

    @Test
    void roundTripReadsGoUpToAThousandFilesOrFourMebibytesARequest() {
        assertThat(sizes(ReadBatches.of(files(2500, 1000), true))).containsExactly(1024, 1024, 452);
        assertThat(sizes(ReadBatches.of(files(5, 1_500_000), true))).containsExactly(2, 2, 1);
        assertThat(sizes(ReadBatches.of(List.of(file(1, 5L << 20)), true))).containsExactly(1);
    }
}
