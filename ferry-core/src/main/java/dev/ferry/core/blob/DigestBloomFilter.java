package dev.ferry.core.blob;

import dev.ferry.core.model.Digest;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Bloom filter of SHA-256 digests: "surely not added" or "maybe added", never a false "not added".
 * A digest's bits are already uniformly random, so its positions come straight from two of its longs
 * (double hashing), with no hash function of its own. About 10 bits per digest at capacity (k = 7,
 * under 1% false positives); past its capacity it chains a filter twice as large instead of filling
 * up, so it grows with the store without a rebuild. Safe for many threads adding and asking at once.
 */
final class DigestBloomFilter {
    static final int MIN_CAPACITY = 1 << 18;
    private static final int PROBES = 7;
    private static final int BITS_PER_DIGEST = 10;
    /** 1 GiB of bits in one segment at most (a power of two, so that positions are masked). */
    private static final long MAX_BITS = 1L << 33;
    private static final VarHandle WORDS = MethodHandles.arrayElementVarHandle(long[].class);

    /** Newest last; only ever appended to, and replaced whole (copy on write). */
    private volatile Segment[] segments;

    DigestBloomFilter(long expected) {
        segments = new Segment[] {new Segment(Math.max(MIN_CAPACITY, expected))};
    }

    boolean mightContain(Digest d) {
        for (Segment s : segments) {
            if (s.mightContain(d)) {
                return true;
            }
        }
        return false;
    }

    void add(Digest d) {
        Segment[] current = segments;
        Segment last = current[current.length - 1];
        if (last.add(d) && last.count.get() > last.capacity) {
            grow(current);
        }
    }

    private synchronized void grow(Segment[] seen) {
        if (segments != seen) {
            return; // another thread grew it
        }
        Segment[] next = java.util.Arrays.copyOf(seen, seen.length + 1);
        next[seen.length] = new Segment(seen[seen.length - 1].capacity * 2);
        segments = next;
    }

    /** Bytes of bit arrays held, for tests and diagnostics. */
    long bytes() {
        long total = 0;
        for (Segment s : segments) {
            total += (long) s.words.length * Long.BYTES;
        }
        return total;
    }

    private static final class Segment {
        final long capacity;
        final long[] words;
        final long mask;
        final AtomicLong count = new AtomicLong();

        Segment(long capacity) {
            this.capacity = capacity;
            long bits = Math.min(MAX_BITS, Long.highestOneBit(Math.max(64, capacity * BITS_PER_DIGEST - 1)) << 1);
            this.words = new long[(int) (bits >>> 6)];
            this.mask = ((long) words.length << 6) - 1;
        }

        boolean mightContain(Digest d) {
            long h = d.h0();
            long step = d.h1() | 1;
            for (int i = 0; i < PROBES; i++, h += step) {
                long bit = h & mask;
                if (((long) WORDS.getAcquire(words, (int) (bit >>> 6)) & (1L << bit)) == 0) {
                    return false;
                }
            }
            return true;
        }

        /** Sets the digest's bits; true if any was not set yet (a digest this segment had not seen). */
        boolean add(Digest d) {
            long h = d.h0();
            long step = d.h1() | 1;
            boolean changed = false;
            for (int i = 0; i < PROBES; i++, h += step) {
                long bit = h & mask;
                long before = (long) WORDS.getAndBitwiseOr(words, (int) (bit >>> 6), 1L << bit);
                changed |= (before & (1L << bit)) == 0;
            }
            if (changed) {
                count.incrementAndGet();
            }
            return changed;
        }
    }
}
