package dev.ferry.server.ui;

import dev.ferry.core.model.Digest;
import dev.ferry.core.store.DerivedBlobs.Made;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Makes one image's thumbnail with the JDK's codecs: the image itself when it is small already, else a
 * JPEG of at most {@link #SIZE} pixels a side, or nothing when the JDK does not decode it.
 */
final class ThumbnailImages {
    /** The longest side of a thumbnail, in pixels (the UI shows them at 64 and 96; 2× for sharp screens). */
    static final int SIZE = 192;
    /** An image up to this size that fits as it is is its own thumbnail. */
    static final int SMALL_BYTES = 256 << 10;

    static {
        ImageIO.setUseCache(false); // decode in memory, not through temp files
    }

    private ThumbnailImages() {}

    /**
     * What the thumbnail of {@code bytes} (the content {@code source}) is: the image itself when it is
     * small already (at most twice the thumbnail's size a side, {@link #SMALL_BYTES}, in a format every
     * browser shows: scaling it would cost more than sending it), else a JPEG made now, else nothing.
     */
    static Made make(Digest source, byte[] bytes) {
        String shown = browserType(bytes);
        if (shown != null && bytes.length <= SMALL_BYTES && fitsAsItIs(bytes)) {
            return new Made.AsItIs(source);
        }
        try {
            BufferedImage image = decode(new java.io.ByteArrayInputStream(bytes));
            return image == null ? new Made.Nothing(source) : new Made.Bytes(source, jpeg(scaled(image)));
        } catch (IOException | RuntimeException undecodable) {
            return new Made.Nothing(source);
        }
    }

    /** The media type of a JPEG, PNG or GIF by its first bytes (what every browser shows), else null. */
    static String browserType(byte[] b) {
        if (b.length > 3 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8 && (b[2] & 0xff) == 0xff) {
            return "image/jpeg";
        }
        if (b.length > 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') {
            return "image/png";
        }
        if (b.length > 6 && b[0] == 'G' && b[1] == 'I' && b[2] == 'F' && b[3] == '8') {
            return "image/gif";
        }
        return null;
    }

    /** Whether the image's header says it is at most twice the thumbnail's size a side (nothing is decoded). */
    private static boolean fitsAsItIs(byte[] bytes) {
        try (javax.imageio.stream.ImageInputStream in = ImageIO.createImageInputStream(new java.io.ByteArrayInputStream(bytes))) {
            var readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                return false;
            }
            javax.imageio.ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                return Math.max(reader.getWidth(0), reader.getHeight(0)) <= 2 * SIZE;
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException unreadable) {
            return false; // decoding it for a thumbnail says whether it is an image at all
        }
    }

    /**
     * The image, decoded at a fraction of its size when it is at least twice the thumbnail's (every n-th
     * pixel of every n-th row: a large photo is not converted whole to be shrunk right after); null
     * when no reader of the JDK takes it.
     */
    private static BufferedImage decode(InputStream bytes) throws IOException {
        try (javax.imageio.stream.ImageInputStream in = ImageIO.createImageInputStream(bytes)) {
            var readers = in == null ? java.util.Collections.<javax.imageio.ImageReader>emptyIterator() : ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                return null;
            }
            javax.imageio.ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int step = Math.max(1, Math.max(reader.getWidth(0), reader.getHeight(0)) / SIZE);
                javax.imageio.ImageReadParam param = reader.getDefaultReadParam();
                if (step > 1) {
                    param.setSourceSubsampling(step, step, 0, 0);
                }
                return reader.read(0, param);
            } finally {
                reader.dispose();
            }
        }
    }

    private static BufferedImage scaled(BufferedImage image) {
        double factor = Math.min(1.0, (double) SIZE / Math.max(image.getWidth(), image.getHeight()));
        int w = Math.max(1, (int) Math.round(image.getWidth() * factor));
        int h = Math.max(1, (int) Math.round(image.getHeight() * factor));
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.setColor(java.awt.Color.WHITE); // transparent PNGs on white, not black
            g.fillRect(0, 0, w, h);
            g.drawImage(image, 0, 0, w, h, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    private static byte[] jpeg(BufferedImage image) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(0.8f);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
