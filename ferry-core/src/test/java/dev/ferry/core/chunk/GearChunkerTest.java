package dev.ferry.core.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.model.Digest;
import dev.ferry.core.testing.TestFiles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class GearChunkerTest {

    static List<Digest> chunk(InputStream in) throws IOException {
        ChunkReader reader = new ChunkReader(in);
        List<Digest> out = new ArrayList<>();
        ChunkReader.Chunk c;
        while ((c = reader.next()) != null) {
            out.add(Digest.of(c.buffer(), c.offset(), c.length()));
        }
        return out;
    }

    static List<Integer> lengths(byte[] data) throws IOException {
        ChunkReader reader = new ChunkReader(new ByteArrayInputStream(data));
        List<Integer> out = new ArrayList<>();
        ChunkReader.Chunk c;
        long position = 0;
        while ((c = reader.next()) != null) {
            assertThat(c.position()).isEqualTo(position);
            position += c.length();
            out.add(c.length());
        }
        assertThat(position).isEqualTo(data.length);
        return out;
    }

    @Test
    void sizesStayWithinBoundsAndAverageNearOneMebibyte() throws IOException {
        byte[] data = TestFiles.randomBytes(42, 64 << 20);
        List<Integer> lengths = lengths(data);
        for (int i = 0; i < lengths.size() - 1; i++) {
            assertThat(lengths.get(i)).isBetween(GearChunker.MIN_SIZE, GearChunker.MAX_SIZE);
        }
        double average = data.length / (double) lengths.size();
        assertThat(average).isBetween(0.7 * GearChunker.AVG_SIZE, 1.6 * GearChunker.AVG_SIZE);
    }

    @Test
    void smallInputsAreOneChunkAndEmptyInputsNone() throws IOException {
        assertThat(lengths(new byte[0])).isEmpty();
        assertThat(lengths(new byte[GearChunker.MIN_SIZE])).containsExactly(GearChunker.MIN_SIZE);
    }

    @Test
    void zerosCutAtTheMaximum() throws IOException {
        // no content-defined cut in uniform data: chunks are MAX_SIZE long, and still identical (deduplicated)
        List<Integer> lengths = lengths(new byte[20 << 20]);
        assertThat(lengths).containsExactly(GearChunker.MAX_SIZE, GearChunker.MAX_SIZE, 4 << 20);
    }

    @Test
    void cutsDoNotDependOnHowTheStreamDeliversBytes() throws IOException {
        byte[] data = TestFiles.randomBytes(7, 12 << 20);
        InputStream trickle = new ByteArrayInputStream(data) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 12_345));
            }
        };
        assertThat(chunk(trickle)).isEqualTo(chunk(new ByteArrayInputStream(data)));
    }

    @Test
    void theGearTableIsFrozen() throws IOException {
        // Changing the table or masks silently stops deduplication against existing stores.
        byte[] data = TestFiles.randomBytes(2024, 8 << 20);
        assertThat(lengths(data)).containsExactly(1137476, 2104758, 1178272, 1206359, 1456363, 1305380);
    }

    @Property(tries = 12)
    void anInsertionChangesOnlyTheChunksAroundIt(@ForAll @IntRange(min = 0, max = (12 << 20) - 1) int at,
            @ForAll @IntRange(min = 1, max = 5000) int inserted) throws IOException {
        byte[] original = TestFiles.randomBytes(99, 12 << 20);
        byte[] edited = new byte[original.length + inserted];
        System.arraycopy(original, 0, edited, 0, at);
        System.arraycopy(TestFiles.randomBytes(at, inserted), 0, edited, at, inserted);
        System.arraycopy(original, at, edited, at + inserted, original.length - at);
        List<Digest> before = chunk(new ByteArrayInputStream(original));
        List<Digest> after = chunk(new ByteArrayInputStream(edited));
        Set<Digest> common = new HashSet<>(before);
        common.retainAll(new HashSet<>(after));
        // the chunk that holds the insertion and, rarely, the next one or two (a cut the insertion removes
        // can move the following ones until they meet the old cuts again): jqwik seed
        // 5973608655487045217 found 4 new chunks where this once said 3
        assertThat(before.size() - common.size()).as("old chunks lost").isLessThanOrEqualTo(4);
        assertThat(after.size() - common.size()).as("new chunks").isLessThanOrEqualTo(4);
    }
}
