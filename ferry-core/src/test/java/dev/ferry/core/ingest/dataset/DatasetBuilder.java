package dev.ferry.core.ingest.dataset;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;

/** Builds tiny dataset folders for tests: records files, images (good, empty, truncated, corrupt). */
public final class DatasetBuilder {
    private final Path dir;

    public DatasetBuilder(Path dir) {
        this.dir = dir;
        mkdirs(dir.resolve("images"));
    }

    public Path dir() {
        return dir;
    }

    public DatasetBuilder file(String name, String content) {
        return bytes(name, content.getBytes(StandardCharsets.UTF_8));
    }

    public DatasetBuilder csv(String... lines) {
        return file("labels.csv", String.join("\n", lines) + "\n");
    }

    public DatasetBuilder bytes(String name, byte[] content) {
        try {
            Path p = dir.resolve(name);
            mkdirs(p.getParent());
            Files.write(p, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    public DatasetBuilder image(String name, int width, int height) {
        String format = name.endsWith(".png") ? "png" : "jpg";
        return bytes("images/" + name, encode(width, height, format, name.hashCode()));
    }

    public DatasetBuilder images(String prefix, int count, int width, int height) {
        for (int i = 0; i < count; i++) {
            image(prefix + i + ".jpg", width, height);
        }
        return this;
    }

    /** A segmentation mask: a grayscale PNG of class ids (0 background, 1 on the diagonal half). */
    public DatasetBuilder mask(String name, int width, int height) {
        return bytes("masks/" + name, encodeMask(width, height, BufferedImage.TYPE_BYTE_GRAY));
    }

    /** A mask saved as RGB (colour-coded classes): not one class id per pixel. */
    public DatasetBuilder rgbMask(String name, int width, int height) {
        return bytes("masks/" + name, encodeMask(width, height, BufferedImage.TYPE_INT_RGB));
    }

    private static byte[] encodeMask(int width, int height, int type) {
        BufferedImage img = new BufferedImage(width, height, type);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                img.getRaster().setSample(x, y, 0, x > y ? 1 : 0);
            }
        }
        return write(img, "png");
    }

    /**
     * A Pascal VOC annotation of an image of {@code width x height}; each object is
     * {@code "name xmin ymin xmax ymax"}.
     */
    public DatasetBuilder voc(String name, int width, int height, String... objects) {
        return file("annotations/" + name, vocXml(name.replace(".xml", ".jpg"), width, height, objects));
    }

    /** The text of a Pascal VOC annotation of {@code image}; each object is {@code "name xmin ymin xmax ymax"}. */
    public static String vocXml(String name, int width, int height, String... objects) {
        StringBuilder xml = new StringBuilder("<annotation>\n  <folder>images</folder>\n  <filename>" + name
                + "</filename>\n  <size><width>" + width + "</width><height>" + height + "</height><depth>3</depth></size>\n");
        for (String o : objects) {
            String[] f = o.split(" ");
            xml.append("  <object><name>").append(f[0]).append("</name><difficult>0</difficult><bndbox><xmin>")
                    .append(f[1]).append("</xmin><ymin>").append(f[2]).append("</ymin><xmax>").append(f[3])
                    .append("</xmax><ymax>").append(f[4]).append("</ymax></bndbox></object>\n");
        }
        return xml.append("</annotation>\n").toString();
    }

    /** An image of random pixels: hardly compressible, so a large one is stored as several chunks. */
    public DatasetBuilder noiseImage(String name, int width, int height) {
        return noiseImage(name, width, height, width * 31L + height);
    }

    /** A noise image of its own: images of one size with different seeds differ. */
    public DatasetBuilder noiseImage(String name, int width, int height, long seed) {
        return bytes("images/" + name, encodeNoise(width, height, name.endsWith(".png") ? "png" : "jpg", seed));
    }

    public DatasetBuilder emptyImage(String name) {
        return bytes("images/" + name, new byte[0]);
    }

    /** An image whose last third is missing (noise content, so the headers survive the cut). */
    public DatasetBuilder truncatedImage(String name, int width, int height) {
        byte[] full = encodeNoise(width, height, name.endsWith(".png") ? "png" : "jpg", width * 31L + height);
        return bytes("images/" + name, Arrays.copyOf(full, full.length * 2 / 3));
    }

    /** Starts like a JPEG, then garbage where the headers should be. */
    public DatasetBuilder corruptImage(String name) {
        byte[] b = encode(16, 16, "jpg", 3);
        for (int i = 2; i < b.length - 2; i++) {
            b[i] = (byte) 0x55;
        }
        return bytes("images/" + name, b);
    }

    private static byte[] encodeNoise(int width, int height, String format, long seed) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        java.util.Random random = new java.util.Random(seed);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                img.setRGB(x, y, random.nextInt());
            }
        }
        return write(img, format);
    }

    public static byte[] jpeg(int width, int height, int seed) {
        return encode(width, height, "jpg", seed);
    }

    static byte[] encode(int width, int height, String format, int seed) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(seed * 2654435761L > 0 ? (int) (seed * 2654435761L) : seed));
        g.fillRect(0, 0, width, height);
        g.setColor(Color.WHITE);
        g.drawLine(0, 0, width, height);
        g.dispose();
        return write(img, format);
    }

    /** An image encoded as {@code format} (jpg, png). */
    public static byte[] write(BufferedImage img, String format) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(img, format, out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void mkdirs(Path p) {
        try {
            Files.createDirectories(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
