package dev.ferry.server.ui;

import dev.ferry.core.model.FileEntry;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.function.Function;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Small JPEG previews of a version's images for the UI, made once per image content and kept under
 * {@code $FERRY_HOME/cache/thumbnails/<digest>.jpg}: the same image in another version or table is not
 * scaled again, and the file is written under a temporary name then moved into place. An image the JDK
 * cannot decode has no thumbnail (the page shows its name).
 */
final class Thumbnails {
    /** The longest side of a thumbnail, in pixels (the UI shows them at 64 and 96; 2× for sharp screens). */
    static final int SIZE = 192;
    /** Larger images are not decoded for a thumbnail: the page shows their name. */
    static final long MAX_IMAGE_BYTES = 64L << 20;

    private final Path dir;

    Thumbnails(Path dir) {
        this.dir = dir;
        ImageIO.setUseCache(false); // decode in memory, not through temp files
    }

    /**
     * The thumbnail of {@code file} (a cached one, or made now from {@code content}); empty when it is not
     * an image the JDK decodes.
     */
    Optional<byte[]> of(FileEntry file, Function<FileEntry, InputStream> content) throws IOException {
        Path cached = dir.resolve(file.digest().hex() + ".jpg");
        if (Files.isRegularFile(cached)) {
            return Optional.of(Files.readAllBytes(cached));
        }
        if (file.size() > MAX_IMAGE_BYTES) {
            return Optional.empty();
        }
        BufferedImage image;
        try (InputStream in = content.apply(file)) {
            image = ImageIO.read(in);
        } catch (IOException | RuntimeException undecodable) {
            return Optional.empty();
        }
        if (image == null) {
            return Optional.empty();
        }
        byte[] jpeg = jpeg(scaled(image));
        Files.createDirectories(dir);
        Path part = Files.createTempFile(dir, file.digest().shortHex(), ".part");
        try {
            Files.write(part, jpeg);
            try {
                Files.move(part, cached, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(part, cached, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(part);
        }
        return Optional.of(jpeg);
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
