package dev.ferry.core.ingest;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An image size, width by height, in pixels. */
public record Size(int width, int height) {
    private static final Pattern FLAG = Pattern.compile("\\s*(\\d{1,6})\\s*[xX×,]\\s*(\\d{1,6})\\s*");

    /** Parses {@code 256x256} (or 256,256); null when the text has another shape. */
    public static Size parse(String text) {
        Matcher m = FLAG.matcher(text);
        return m.matches() ? new Size(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))) : null;
    }

    public boolean fitsIn(Size other) {
        return width >= other.width && height >= other.height;
    }

    @Override
    public String toString() {
        return width + "x" + height;
    }
}
