package dev.ferry.core.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A SHA-256 content address, held as four longs so that it is a value (equals, hashCode) without an
 * array, and cheap as a map key. Printed as {@code sha256:<64 hex>}.
 */
public record Digest(long h0, long h1, long h2, long h3) implements Comparable<Digest> {
    public static final String PREFIX = "sha256:";
    public static final int BYTES = 32;
    /** One hasher per thread (digest() resets it), instead of a provider lookup for every small file. */
    private static final ThreadLocal<MessageDigest> PER_THREAD = ThreadLocal.withInitial(Digest::sha256);
    public static final Digest EMPTY = of(new byte[0]);

    public static Digest fromBytes(byte[] bytes) {
        return fromBytes(bytes, 0);
    }

    public static Digest fromBytes(byte[] bytes, int offset) {
        if (bytes.length - offset < BYTES) {
            throw new IllegalArgumentException("a digest has 32 bytes, got " + (bytes.length - offset));
        }
        ByteBuffer b = ByteBuffer.wrap(bytes, offset, BYTES);
        return new Digest(b.getLong(), b.getLong(), b.getLong(), b.getLong());
    }

    /** Parses {@code sha256:<hex>} or bare hex; throws IllegalArgumentException with the reason. */
    @JsonCreator
    public static Digest parse(String text) {
        String hex = text.startsWith(PREFIX) ? text.substring(PREFIX.length()) : text;
        if (hex.length() != 64) {
            throw new IllegalArgumentException("not a sha256 digest (need 64 hex digits): " + text);
        }
        try {
            return fromBytes(HexFormat.of().parseHex(hex));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a sha256 digest (bad hex): " + text, e);
        }
    }

    public static Digest of(byte[] data) {
        return of(data, 0, data.length);
    }

    public static Digest of(byte[] data, int offset, int length) {
        MessageDigest md = PER_THREAD.get();
        md.update(data, offset, length);
        return fromBytes(md.digest());
    }

    /**
     * The digest of {@code data} from its position to its limit; the position is left alone. Reading
     * a file into a direct buffer and hashing it there saves the two copies a heap array costs (the
     * JDK reads into a direct buffer of its own, then copies; the pack writer copies back).
     */
    public static Digest of(ByteBuffer data) {
        MessageDigest md = PER_THREAD.get();
        md.update(data.duplicate());
        return fromBytes(md.digest());
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JDK", e);
        }
    }

    public byte[] toBytes() {
        return ByteBuffer.allocate(BYTES).putLong(h0).putLong(h1).putLong(h2).putLong(h3).array();
    }

    public void writeTo(ByteBuffer target) {
        target.putLong(h0).putLong(h1).putLong(h2).putLong(h3);
    }

    public static Digest readFrom(ByteBuffer source) {
        return new Digest(source.getLong(), source.getLong(), source.getLong(), source.getLong());
    }

    public String hex() {
        return HexFormat.of().formatHex(toBytes());
    }

    /** The first 12 hex digits, for human output. */
    public String shortHex() {
        return hex().substring(0, 12);
    }

    @JsonValue
    @Override
    public String toString() {
        return PREFIX + hex();
    }

    @Override
    public int compareTo(Digest o) {
        int c = Long.compareUnsigned(h0, o.h0);
        if (c == 0) c = Long.compareUnsigned(h1, o.h1);
        if (c == 0) c = Long.compareUnsigned(h2, o.h2);
        if (c == 0) c = Long.compareUnsigned(h3, o.h3);
        return c;
    }
}
