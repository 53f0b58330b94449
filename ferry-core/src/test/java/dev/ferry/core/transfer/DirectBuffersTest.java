package dev.ferry.core.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DirectBuffersTest {
    @BeforeEach
    void noSparesFromOtherTests() {
        DirectBuffers.release();
        DirectBuffers.dropSpares();
    }

    /** Runs {@code threads} tasks at once on a transfer pool (one per thread), then ends the pool. */
    private static List<ByteBuffer> onNewPool(int threads, int room) throws Exception {
        DirectBuffers.Threads made = DirectBuffers.threads("test-transfer");
        ExecutorService pool = Executors.newFixedThreadPool(threads, made);
        CountDownLatch all = new CountDownLatch(threads);
        List<Future<ByteBuffer>> got = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            got.add(pool.submit(() -> {
                ByteBuffer b = DirectBuffers.mine(room, room);
                b.put((byte) 1); // in use
                all.countDown();
                all.await(); // every thread holds its own at once
                assertThat(DirectBuffers.mine(room, room)).isSameAs(b).satisfies(x -> assertThat(x.position()).isZero());
                return b;
            }));
        }
        List<ByteBuffer> buffers = new ArrayList<>();
        for (Future<ByteBuffer> f : got) {
            buffers.add(f.get(10, TimeUnit.SECONDS));
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        made.awaitGivenBack(); // a thread gives its buffer back as it ends, just after the pool says it terminated
        return buffers;
    }

    private static Map<ByteBuffer, Boolean> identities(List<ByteBuffer> buffers) {
        Map<ByteBuffer, Boolean> set = new IdentityHashMap<>();
        buffers.forEach(b -> set.put(b, true));
        return set;
    }

    @Test
    void threadsHoldTheirOwnBufferAndTheNextTransferReusesThem() throws Exception {
        List<ByteBuffer> first = onNewPool(2, 1 << 20);
        assertThat(identities(first)).hasSize(2);
        assertThat(first).allSatisfy(b -> assertThat(b.isDirect()).isTrue());
        // the pool's threads ended and gave them back: the next pool gets the same two, not new ones
        List<ByteBuffer> second = onNewPool(2, 1 << 20);
        assertThat(identities(second).keySet()).allSatisfy(b -> assertThat(identities(first)).containsKey(b));
        // a bigger need than any spare gets a new buffer of its own
        List<ByteBuffer> bigger = onNewPool(1, 3 << 20);
        assertThat(bigger.getFirst().capacity()).isGreaterThanOrEqualTo(3 << 20);
        assertThat(identities(first)).doesNotContainKey(bigger.getFirst());
    }

    @Test
    void noMoreThanAFewSparesAreKept() throws Exception {
        onNewPool(DirectBuffers.KEEP + 4, 64 << 10);
        assertThat(DirectBuffers.spares()).isLessThanOrEqualTo(DirectBuffers.KEEP);
    }

    @Test
    void aSmallNeedTakesTheSmallestSpareThatFitsAndAFullListKeepsTheLargest() throws Exception {
        ByteBuffer large = onNewPool(1, 4 << 20).getFirst();
        ByteBuffer small = onNewPool(2, 64 << 10).stream().filter(b -> b != large).findFirst().orElseThrow();
        // spares now hold the large one and small ones: a small need is served by a small one
        ByteBuffer got = DirectBuffers.mine(32 << 10, 32 << 10);
        assertThat(got.capacity()).isLessThan(large.capacity());
        DirectBuffers.release();
        assertThat(small.capacity()).isLessThan(large.capacity());
        // filling the spares with small buffers never pushes the large one out
        onNewPool(DirectBuffers.KEEP + 4, 64 << 10);
        assertThat(DirectBuffers.mine(4 << 20, 4 << 20)).isSameAs(large);
        DirectBuffers.release();
    }

    @Test
    void aThreadOutsideThePoolsGivesItsBackByHand() {
        ByteBuffer mine = DirectBuffers.mine(4096, 4096);
        DirectBuffers.release();
        DirectBuffers.release(); // twice is harmless
        assertThat(DirectBuffers.mine(4096, 4096)).isSameAs(mine); // back from the spares
        DirectBuffers.release();
    }
}
