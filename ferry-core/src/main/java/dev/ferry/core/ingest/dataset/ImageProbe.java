package dev.ferry.core.ingest.dataset;

import dev.ferry.core.ingest.Size;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * What an image file is: its format and size, or why it cannot be used. JPEG and PNG (nearly every
 * dataset) are checked by decoding their headers with ImageIO and checking that the file ends where
 * the format says it must (JPEG end-of-image marker, PNG IEND chunk), which catches empty, corrupt
 * and truncated files at ~30 µs each; other formats are fully decoded. Damage inside intact
 * compressed image data is not detected (as with PIL's verify()).
 */
final class ImageProbe {
    static {
        ImageIO.setUseCache(false);
    }

    private ImageProbe() {}

    /** The image's format and size, or a problem. */
    sealed interface Result {}

    record Image(String format, Size size) implements Result {}

    record Unusable(String reason) implements Result {}

    static Result probe(Path file) {
        long length = file.toFile().length();
        if (length == 0) {
            return new Unusable("empty file (0 bytes)");
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
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
                switch (format) {
                    case "jpeg", "jpg" -> {
                        if (!endsWith(file, length, JPEG_END)) return new Unusable("truncated (no JPEG end-of-image marker)");
                    }
                    case "png" -> {
                        if (!endsWith(file, length, PNG_END)) return new Unusable("truncated (no PNG IEND chunk)");
                    }
                    default -> reader.read(0);
                }
                return new Image(format, size);
            } finally {
                reader.dispose();
            }
        } catch (IIOException e) {
            return new Unusable("corrupt image (" + firstLine(e.getMessage()) + ")");
        } catch (IOException | RuntimeException e) {
            return new Unusable("corrupt image (" + firstLine(String.valueOf(e.getMessage())) + ")");
        }
    }

    private static final byte[] JPEG_END = {(byte) 0xFF, (byte) 0xD9};
    private static final byte[] PNG_END = {0, 0, 0, 0, 'I', 'E', 'N', 'D', (byte) 0xAE, 0x42, 0x60, (byte) 0x82};

    /** Whether the file ends with {@code tail}, allowing zero padding after it (some encoders pad). */
    private static boolean endsWith(Path file, long length, byte[] tail) throws IOException {
        int window = (int) Math.min(length, 4096);
        byte[] end = new byte[window];
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            raf.seek(length - window);
            raf.readFully(end);
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

    private static String firstLine(String message) {
        if (message == null) return "unreadable";
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
