package dev.ferry.core.blob;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.model.Digest;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class DigestBloomFilterTest {
    private static Digest digest(long i) {
        return Digest.of(ByteBuffer.allocate(8).putLong(i).array());
    }

    @Test
    void neverSaysNoToAnAddedDigestAndRarelyYesToAnother() {
        DigestBloomFilter filter = new DigestBloomFilter(1000);
        int added = 3 * DigestBloomFilter.MIN_CAPACITY; // past the first segment: it grows twice
        for (int i = 0; i < added; i++) {
            filter.add(digest(i));
        }
        for (int i = 0; i < added; i++) {
            assertThat(filter.mightContain(digest(i))).as("digest %d", i).isTrue();
        }
        int falsePositives = 0;
        int asked = 200_000;
        for (int i = added; i < added + asked; i++) {
            if (filter.mightContain(digest(i))) {
                falsePositives++;
            }
        }
        // ~0.5-1% per segment at capacity, three segments
        assertThat(falsePositives).isLessThan(asked * 3 / 100);
        // about 10-20 bits a digest, not a copy of the digests (32 bytes each)
        assertThat(filter.bytes()).isLessThan(added * 4L);
    }

    @Test
    void anEmptyFilterSaysNo() {
        DigestBloomFilter filter = new DigestBloomFilter(0);
        assertThat(filter.mightContain(digest(1))).isFalse();
        assertThat(filter.mightContain(Digest.EMPTY)).isFalse();
    }

    @Test
    void threadsAddingAtOnceLoseNothing() throws Exception {
        DigestBloomFilter filter = new DigestBloomFilter(0);
        int perThread = DigestBloomFilter.MIN_CAPACITY / 2;
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                long base = (long) t * perThread;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        filter.add(digest(base + i));
                        // a reader in the same race must never see an added digest as absent
                        assertThat(filter.mightContain(digest(base + i))).isTrue();
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        for (long i = 0; i < 4L * perThread; i++) {
            assertThat(filter.mightContain(digest(i))).isTrue();
        }
    }
}
