package dev.ferry.core.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;

/**
 * Builds a JSON tree from a streaming parser (JSON or YAML) without an {@code ObjectMapper}.
 *
 * <p>Why: the first {@code ObjectMapper} of a JVM costs ~30 ms (its default date format loads the
 * JDK's locale data), a third of what `ferry ingest validate` may take in all (bench/RESULTS.md).
 * Reading the config and the schema is all that command does, so it builds its trees here, with the
 * same node types and number rules as {@code ObjectMapper.readTree}: the later duplicate key wins,
 * integers are int, long or BigInteger by size, other numbers double.
 */
final class JsonTrees {
    /**
     * Text nodes that render themselves (JSON-quoted) instead of through databind's internal mapper:
     * the schema validator renders every {@code enum} value when it builds its validators.
     */
    static final JsonNodeFactory SELF_RENDERING = new JsonNodeFactory(false) {
        @Override
        public TextNode textNode(String text) {
            return new SelfRenderingText(text);
        }
    };

    private JsonTrees() {}

    /** The next value of the parser as a tree, or null at the end of the input (an empty document). */
    static JsonNode read(JsonParser parser, JsonNodeFactory nodes) throws IOException {
        JsonToken token = parser.nextToken();
        return token == null ? null : value(parser, token, nodes);
    }

    private static JsonNode value(JsonParser parser, JsonToken token, JsonNodeFactory nodes) throws IOException {
        return switch (token) {
            case START_OBJECT -> {
                // made before its members are read: a location-aware factory takes the object's own position
                ObjectNode object = nodes.objectNode();
                for (JsonToken t = parser.nextToken(); t != JsonToken.END_OBJECT; t = parser.nextToken()) {
                    String name = parser.currentName();
                    object.set(name, value(parser, parser.nextToken(), nodes));
                }
                yield object;
            }
            case START_ARRAY -> {
                ArrayNode array = nodes.arrayNode();
                for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
                    array.add(value(parser, t, nodes));
                }
                yield array;
            }
            case VALUE_STRING -> nodes.textNode(parser.getText());
            case VALUE_NUMBER_INT -> switch (parser.getNumberType()) {
                case INT -> nodes.numberNode(parser.getIntValue());
                case LONG -> nodes.numberNode(parser.getLongValue());
                default -> nodes.numberNode(parser.getBigIntegerValue());
            };
            case VALUE_NUMBER_FLOAT -> parser.getNumberType() == JsonParser.NumberType.BIG_DECIMAL
                    ? nodes.numberNode(parser.getDecimalValue()) : nodes.numberNode(parser.getDoubleValue());
            case VALUE_TRUE -> nodes.booleanNode(true);
            case VALUE_FALSE -> nodes.booleanNode(false);
            case VALUE_NULL -> nodes.nullNode();
            case VALUE_EMBEDDED_OBJECT -> parser.getEmbeddedObject() instanceof byte[] bytes
                    ? nodes.binaryNode(bytes) : nodes.textNode(parser.getText());
            default -> throw new IOException("unexpected " + token + " in the document");
        };
    }

    /** A text node whose {@code toString} is its JSON form, made without databind's mapper. */
    private static final class SelfRenderingText extends TextNode {
        private static final long serialVersionUID = 1L;

        SelfRenderingText(String text) {
            super(text);
        }

        @Override
        public String toString() {
            return '"' + new String(JsonStringEncoder.getInstance().quoteAsString(textValue())) + '"';
        }
    }
}
