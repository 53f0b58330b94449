package dev.ferry.core.ingest.dataset;

import dev.ferry.core.ingest.Size;
import dev.ferry.core.model.Digest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * What an image file is: its format, size and digest, or why it cannot be used. JPEG and PNG (nearly
 * every dataset) are checked by decoding their headers with ImageIO and checking that the file ends
 * where the format says it must (JPEG end-of-image marker, PNG IEND chunk), which catches empty,
 * corrupt and truncated files at ~30 µs each; other formats are fully decoded. An image that declares
 * more than {@link #MAX_PIXELS} pixels is refused before anything is decoded (a decompression bomb).
 * Damage inside intact compressed image data is not detected (as with PIL's verify()).
 */
final class ImageProbe {
    /** The most pixels an image may declare (about 10,000 x 10,000). */
    static final long MAX_PIXELS = 100_000_000L;
    /** Files up to this size are read once into memory: hashed and probed from the same bytes. */
    private static final long IN_MEMORY = 64L << 20;

    static {
        ImageIO.setUseCache(false);
    }

    private ImageProbe() {}

    /** The image's format, size and (when asked) digest, or a problem. */
    sealed interface Result {}

    record Image(String format, Size size, Digest digest) implements Result {}

    record Unusable(String reason) implements Result {}

    static Result probe(Path file, boolean digest) {
        try {
            long length = Files.size(file);
            if (length == 0) {
                return new Unusable("empty file (0 bytes)");
            }
            if (length <= IN_MEMORY) {
                byte[] bytes = Files.readAllBytes(file);
                Result r = probe(new ByteArrayInputStream(bytes), new Tail(bytes));
                return r instanceof Image i && digest ? new Image(i.format(), i.size(), Digest.of(bytes)) : r;
            }
            Result r;
            try (InputStream in = Files.newInputStream(file)) {
                r = probe(in, new Tail(file, length));
            }
            return r instanceof Image i && digest ? new Image(i.format(), i.size(), digestOf(file)) : r;
        } catch (IOException e) {
            return new Unusable("cannot be read (" + firstLine(e.getMessage()) + ")");
        }
    }

    private static Result probe(InputStream bytes, Tail tail) {
        try (ImageInputStream in = ImageIO.createImageInputStream(bytes)) {
            if (in == null) {
                return new Unusable("cannot be opened");
            }
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                return new Unusable("not an image in a known format");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                String format = reader.getFormatName().toLowerCase(Locale.ROOT);
                Size size = new Size(reader.getWidth(0), reader.getHeight(0));
                if ((long) size.width() * size.height() > MAX_PIXELS) {
                    return new Unusable("declares " + size + " pixels, over the limit of " + String.format("%,d", MAX_PIXELS)
                            + " (a decompression bomb?)");
                }
                switch (format) {
                    case "jpeg", "jpg" -> {
                        if (!tail.endsWith(JPEG_END)) return new Unusable("truncated (no JPEG end-of-image marker)");
                    }
                    case "png" -> {
                        if (!tail.endsWith(PNG_END)) return new Unusable("truncated (no PNG IEND chunk)");
                    }
                    default -> reader.read(0);
                }
                return new Image(format.equals("jpg") ? "jpeg" : format, size, null);
            } finally {
                reader.dispose();
            }
        } catch (IIOException e) {
            return new Unusable("corrupt image (" + firstLine(e.getMessage()) + ")");
        } catch (IOException | RuntimeException e) {
            return new Unusable("corrupt image (" + firstLine(String.valueOf(e.getMessage())) + ")");
        }
    }

    /** Whether an image's content is the format its extension names (a JPEG named .png is not). */
    static boolean formatMatches(String extension, String format) {
        String ext = extension.toLowerCase(Locale.ROOT);
        return switch (format) {
            case "jpeg" -> ext.equals("jpg") || ext.equals("jpeg") || ext.equals("jpe") || ext.equals("jfif");
            case "tif", "tiff" -> ext.equals("tif") || ext.equals("tiff");
            default -> ext.equals(format);
        };
    }

    private static final byte[] JPEG_END = {(byte) 0xFF, (byte) 0xD9};
    private static final byte[] PNG_END = {0, 0, 0, 0, 'I', 'E', 'N', 'D', (byte) 0xAE, 0x42, 0x60, (byte) 0x82};

    /** The last bytes of a file, in memory or read from its end. */
    private static final class Tail {
        private final byte[] bytes;
        private final Path file;
        private final long length;

        Tail(byte[] bytes) {
            this.bytes = bytes;
            this.file = null;
            this.length = bytes.length;
        }

        Tail(Path file, long length) {
            this.bytes = null;
            this.file = file;
            this.length = length;
        }

        /** Whether the file ends with {@code tail}, allowing zero padding after it (some encoders pad). */
        boolean endsWith(byte[] tail) throws IOException {
            int window = (int) Math.min(length, 4096);
            byte[] end = new byte[window];
            if (bytes != null) {
                System.arraycopy(bytes, bytes.length - window, end, 0, window);
            } else {
                try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
                    raf.seek(length - window);
                    raf.readFully(end);
                }
            }
            int last = window - 1;
            while (last >= 0 && end[last] == 0) {
                last--;
            }
            int start = last - tail.length + 1;
            if (start < 0) {
                return false;
            }
            for (int i = 0; i < tail.length; i++) {
                if (end[start + i] != tail[i]) {
                    return false;
                }
            }
            return true;
        }
    }

    private static Digest digestOf(Path file) throws IOException {
        return dev.ferry.core.transfer.FileContents.digestOf(file);
    }

    private static String firstLine(String message) {
        if (message == null) return "unreadable";
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
