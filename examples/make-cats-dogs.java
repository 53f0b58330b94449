// Generates examples/cats-dogs: 576 JPEGs of 256x256 (288 "cats", 288 "dogs": simple drawn faces)
// and labels.csv. Deterministic: the same files on every machine.
//   java examples/make-cats-dogs.java [target-folder [count [side-in-pixels]]]
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

public class MakeCatsDogs {
    public static void main(String[] args) throws IOException {
        Path target = Path.of(args.length > 0 ? args[0] : "examples/cats-dogs");
        Path images = Files.createDirectories(target.resolve("images"));
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 576;
        size = args.length > 2 ? Integer.parseInt(args[2]) : 256; // larger ones for a thumbnail benchmark
        Random random = new Random(576);
        try (Writer csv = Files.newBufferedWriter(target.resolve("labels.csv"))) {
            csv.write("filename,label\n");
            for (int i = 0; i < count; i++) {
                boolean cat = i % 2 == 0;
                String name = (cat ? "cat_" : "dog_") + String.format(count > 2000 ? "%05d" : "%03d", i / 2) + ".jpg";
                write(face(cat, random), images.resolve(name));
                csv.write(name + "," + (cat ? "cat" : "dog") + "\n");
            }
        }
        System.out.println("wrote " + count + " images and labels.csv to " + target);
    }

    /** The images' side in pixels; the faces are drawn for 256 and scaled to it. */
    private static int size;

    private static BufferedImage face(boolean cat, Random r) {
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.scale(size / 256.0, size / 256.0);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(new Color(200 + r.nextInt(56), 200 + r.nextInt(56), 200 + r.nextInt(56)));
        g.fillRect(0, 0, 256, 256);
        int x = 78 + r.nextInt(40), y = 78 + r.nextInt(40), s = 80 + r.nextInt(30);
        Color fur = cat ? new Color(120 + r.nextInt(100), 80 + r.nextInt(60), 40) : new Color(90 + r.nextInt(60), 60 + r.nextInt(40), 30 + r.nextInt(40));
        g.setColor(fur);
        if (cat) { // pointed ears
            g.fillPolygon(new int[] {x, x + s / 4, x + s / 2}, new int[] {y + s / 4, y - s / 3, y + s / 6}, 3);
            g.fillPolygon(new int[] {x + s / 2, x + 3 * s / 4, x + s}, new int[] {y + s / 6, y - s / 3, y + s / 4}, 3);
        } else { // floppy ears
            g.fillOval(x - s / 4, y, s / 3, s * 2 / 3);
            g.fillOval(x + s - s / 12, y, s / 3, s * 2 / 3);
        }
        g.fillOval(x, y, s, s);
        g.setColor(Color.BLACK);
        g.fillOval(x + s / 4, y + s / 3, s / 8, s / 8);
        g.fillOval(x + 5 * s / 8, y + s / 3, s / 8, s / 8);
        g.setStroke(new BasicStroke(2));
        g.drawArc(x + s / 3, y + s / 2, s / 3, s / 5, 200, 140);
        g.dispose();
        return img;
    }

    private static void write(BufferedImage img, Path file) throws IOException {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
        ImageWriter writer = writers.next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(0.6f);
        try (ImageOutputStream out = ImageIO.createImageOutputStream(Files.newOutputStream(file))) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(img, null, null), param);
        } finally {
            writer.dispose();
        }
    }
}
