package dev.ferry.core.ingest.dataset;

import dev.ferry.core.ingest.Size;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * A Pascal VOC annotation file: the image size it states and its objects, each a class name and a
 * bounding box in pixels. Read with the JDK's StAX parser with DTDs and external entities off (an
 * annotation file must not make the server read other files or the network).
 */
record VocAnnotation(Size size, List<VocObject> objects) {
    record VocObject(String name, double xmin, double ymin, double xmax, double ymax) {
        /** Why the box cannot be in an image of {@code image} size, or null when it can. */
        String boxProblem(Size image) {
            if (!(xmin < xmax && ymin < ymax)) {
                return "empty box (" + box() + ")";
            }
            if (xmin < 0 || ymin < 0 || xmax > image.width() || ymax > image.height()) {
                return "box (" + box() + ") outside the " + image + " image";
            }
            return null;
        }

        private String box() {
            return "xmin " + num(xmin) + ", ymin " + num(ymin) + ", xmax " + num(xmax) + ", ymax " + num(ymax);
        }

        private static String num(double v) {
            return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
        }
    }

    /** Why a file is not a usable annotation. */
    static final class Invalid extends Exception {
        final boolean missing;

        Invalid(String message) {
            this(message, false);
        }

        private Invalid(String message, boolean missing) {
            super(message);
            this.missing = missing;
        }
    }

    private static final XMLInputFactory FACTORY = factory();

    private static XMLInputFactory factory() {
        XMLInputFactory f = XMLInputFactory.newFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_COALESCING, true);
        return f;
    }

    /** Reads an annotation; {@link Invalid} says, in a few words, why it cannot be used. */
    static VocAnnotation read(Path file) throws Invalid {
        try (InputStream in = Files.newInputStream(file)) {
            XMLStreamReader xml;
            synchronized (FACTORY) {
                xml = FACTORY.createXMLStreamReader(in);
            }
            try {
                return parse(xml);
            } finally {
                xml.close();
            }
        } catch (NoSuchFileException e) {
            throw new Invalid("missing", true);
        } catch (XMLStreamException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNumber();
            throw new Invalid("not well-formed XML" + where);
        } catch (IOException e) {
            throw new Invalid("cannot be read: " + e.getMessage());
        }
    }

    private static VocAnnotation parse(XMLStreamReader xml) throws XMLStreamException, Invalid {
        xml.nextTag();
        if (!xml.getLocalName().equals("annotation")) {
            throw new Invalid("not Pascal VOC (the root element is <" + xml.getLocalName() + ">, not <annotation>)");
        }
        Size size = null;
        List<VocObject> objects = new ArrayList<>();
        while (xml.nextTag() == XMLStreamConstants.START_ELEMENT) {
            switch (xml.getLocalName()) {
                case "size" -> size = size(children(xml));
                case "object" -> objects.add(object(xml, objects.size() + 1));
                default -> skip(xml);
            }
        }
        return new VocAnnotation(size, List.copyOf(objects));
    }

    private static Size size(java.util.Map<String, String> fields) throws Invalid {
        String w = fields.get("width");
        String h = fields.get("height");
        if (w == null || h == null) {
            throw new Invalid("<size> without <width> and <height>");
        }
        try {
            return new Size(Integer.parseInt(w.trim()), Integer.parseInt(h.trim()));
        } catch (NumberFormatException e) {
            throw new Invalid("<size> is not whole numbers (width \"" + w.trim() + "\", height \"" + h.trim() + "\")");
        }
    }

    private static VocObject object(XMLStreamReader xml, int number) throws XMLStreamException, Invalid {
        String name = null;
        java.util.Map<String, String> box = null;
        while (xml.nextTag() == XMLStreamConstants.START_ELEMENT) {
            switch (xml.getLocalName()) {
                case "name" -> name = xml.getElementText().trim();
                case "bndbox" -> box = children(xml);
                default -> skip(xml);
            }
        }
        if (name == null || name.isEmpty()) {
            throw new Invalid("object " + number + " has no <name>");
        }
        if (box == null) {
            throw new Invalid("object " + number + " (\"" + name + "\") has no <bndbox>");
        }
        double[] v = new double[4];
        String[] keys = {"xmin", "ymin", "xmax", "ymax"};
        for (int i = 0; i < 4; i++) {
            String text = box.get(keys[i]);
            if (text == null) {
                throw new Invalid("object " + number + " (\"" + name + "\") has no <" + keys[i] + ">");
            }
            try {
                v[i] = Double.parseDouble(text.trim());
            } catch (NumberFormatException e) {
                v[i] = Double.NaN;
            }
            if (!Double.isFinite(v[i])) {
                throw new Invalid("object " + number + " (\"" + name + "\"): <" + keys[i] + "> is not a number (\""
                        + text.trim() + "\")");
            }
        }
        return new VocObject(name, v[0], v[1], v[2], v[3]);
    }

    /** The text of each simple child element of the current one (which it consumes). */
    private static java.util.Map<String, String> children(XMLStreamReader xml) throws XMLStreamException {
        java.util.Map<String, String> fields = new java.util.HashMap<>();
        while (xml.nextTag() == XMLStreamConstants.START_ELEMENT) {
            String key = xml.getLocalName();
            try {
                fields.put(key, xml.getElementText());
            } catch (XMLStreamException nested) {
                throw new XMLStreamException("<" + key + "> must hold text only", xml.getLocation());
            }
        }
        return fields;
    }

    /** Skips the current element with everything in it. */
    private static void skip(XMLStreamReader xml) throws XMLStreamException {
        int depth = 1;
        while (depth > 0) {
            int event = xml.next();
            if (event == XMLStreamConstants.START_ELEMENT) depth++;
            else if (event == XMLStreamConstants.END_ELEMENT) depth--;
        }
    }
}
