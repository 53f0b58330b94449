package dev.ferry.core.chunk;

/**
 * Content-defined chunking in the FastCDC style: a rolling "gear" fingerprint over the last 64 bytes,
 * cut where the fingerprint's top bits are zero. Normalized chunking uses a harder mask before the
 * average size and an easier one after it, which narrows the size distribution around 1 MiB.
 *
 * <p>Cut points depend only on the bytes near them and the distance from the chunk start, so inserting
 * or deleting bytes changes the chunk that holds the edit (and rarely the next one) but no others.
 * The gear table, sizes and masks are part of the storage format: changing them does not break
 * anything, but new uploads would stop deduplicating against old ones.
 */
public final class GearChunker {
    public static final int MIN_SIZE = 512 * 1024;
    public static final int AVG_SIZE = 1024 * 1024;
    public static final int MAX_SIZE = 8 * 1024 * 1024;

    /** 22 top bits: a cut is 4x less likely than at the average before the average size. */
    private static final long MASK_HARD = topBits(22);
    /** 18 top bits: 4x more likely after it. */
    private static final long MASK_EASY = topBits(18);
    private static final long[] GEAR = gearTable(0x4645_5252_595F_4344L);

    private GearChunker() {}

    /**
     * The length of the chunk that starts at {@code data[from]}. The caller passes every byte it has
     * up to {@link #MAX_SIZE}; fewer only when the input ends there, so that the cut is deterministic.
     */
    public static int cut(byte[] data, int from, int available) {
        if (available <= MIN_SIZE) {
            return available;
        }
        int end = Math.min(available, MAX_SIZE);
        int normal = Math.min(end, AVG_SIZE);
        long fp = 0;
        int i = MIN_SIZE;
        for (; i < normal; i++) {
            fp = (fp << 1) + GEAR[data[from + i] & 0xff];
            if ((fp & MASK_HARD) == 0) {
                return i + 1;
            }
        }
        for (; i < end; i++) {
            fp = (fp << 1) + GEAR[data[from + i] & 0xff];
            if ((fp & MASK_EASY) == 0) {
                return i + 1;
            }
        }
        return end;
    }

    private static long topBits(int n) {
        return -1L << (64 - n);
    }

    /** SplitMix64 from a fixed seed: a table that is the same on every machine and in every version. */
    private static long[] gearTable(long seed) {
        long[] table = new long[256];
        long state = seed;
        for (int i = 0; i < table.length; i++) {
            state += 0x9E37_79B9_7F4A_7C15L;
            long z = state;
            z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
            table[i] = z ^ (z >>> 31);
        }
        return table;
    }
}
