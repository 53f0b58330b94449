package dev.ferry.core.model;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * Time-sortable ids in the style of KSUID: 20 bytes (4 bytes of seconds since 2014-05-13, 2 bytes of
 * milliseconds, 14 random bytes) written as 27 base62 characters in ASCII order, so that sorting the
 * strings sorts by creation time and "newest" sorts last.
 */
public final class Ids {
    public static final int LENGTH = 27;
    static final long EPOCH_SECONDS = 1_400_000_000L;
    private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final BigInteger BASE = BigInteger.valueOf(62);
    private static final Pattern SHAPE = Pattern.compile("[0-9A-Za-z]{27}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {}

    public static String newId() {
        return newId(Instant.now());
    }

    public static String newId(Instant at) {
        byte[] raw = new byte[20];
        byte[] random = new byte[14];
        RANDOM.nextBytes(random);
        ByteBuffer.wrap(raw)
                .putInt((int) (at.getEpochSecond() - EPOCH_SECONDS))
                .putShort((short) (at.getNano() / 1_000_000))
                .put(random);
        return encode(raw);
    }

    /**
     * {@code candidate}, or when it does not sort after {@code floor} (made in the same millisecond, or
     * on a clock that went back) the id just after {@code floor}: its time and its random part plus one.
     * Lists ordered by id then keep the order in which things were made.
     */
    public static String after(String floor, String candidate) {
        if (floor == null || candidate.compareTo(floor) > 0) {
            return candidate;
        }
        byte[] raw = decode(floor);
        for (int i = raw.length - 1; i >= 0; i--) {
            if (++raw[i] != 0) {
                break; // no carry into the byte above
            }
        }
        return encode(raw);
    }

    public static boolean isId(String text) {
        return text != null && SHAPE.matcher(text).matches();
    }

    /** The creation time encoded in an id, to the millisecond. */
    public static Instant timeOf(String id) {
        ByteBuffer b = ByteBuffer.wrap(decode(id));
        long seconds = Integer.toUnsignedLong(b.getInt()) + EPOCH_SECONDS;
        int millis = Short.toUnsignedInt(b.getShort());
        return Instant.ofEpochSecond(seconds, millis * 1_000_000L);
    }

    static String encode(byte[] raw) {
        BigInteger n = new BigInteger(1, raw);
        char[] out = new char[LENGTH];
        for (int i = LENGTH - 1; i >= 0; i--) {
            BigInteger[] qr = n.divideAndRemainder(BASE);
            out[i] = ALPHABET.charAt(qr[1].intValue());
            n = qr[0];
        }
        return new String(out);
    }

    static byte[] decode(String id) {
        if (!isId(id)) {
            throw new IllegalArgumentException("not a Ferry id (27 base62 characters): " + id);
        }
        BigInteger n = BigInteger.ZERO;
        for (int i = 0; i < id.length(); i++) {
            n = n.multiply(BASE).add(BigInteger.valueOf(ALPHABET.indexOf(id.charAt(i))));
        }
        byte[] big = n.toByteArray();
        byte[] raw = new byte[20];
        int copy = Math.min(big.length, 20);
        System.arraycopy(big, big.length - copy, raw, 20 - copy, copy);
        return raw;
    }
}
