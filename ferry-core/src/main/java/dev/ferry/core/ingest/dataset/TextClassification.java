package dev.ferry.core.ingest.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.ingest.Category;
import dev.ferry.core.model.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Set;

/**
 * text_classification: the text family's rules, a label column, at least two distinct labels, and,
 * when the dataset folder has a {@code tokenizer.json}, a tokenizer that knows the {@code [PAD]} token.
 */
final class TextClassification extends TextDataset {
    static final String TOKENIZER = "tokenizer.json";
    static final String PAD = "[PAD]";

    TextClassification() {
        super(Category.TEXT_CLASSIFICATION);
    }

    @Override
    int minimumLabels() {
        return 2;
    }

    @Override
    void finish(Context context, Set<String> listed, DatasetReport report) {
        if (!context.tree().has(TOKENIZER)) {
            return;
        }
        Path file = context.resolve(TOKENIZER);
        try {
            JsonNode tokenizer = Json.MAPPER.readTree(Files.readAllBytes(file));
            if (!mentions(tokenizer, PAD)) {
                report.error(TOKENIZER + " has no " + PAD + " token (text_classification pads its sequences with it)");
            }
        } catch (IOException e) {
            report.error(TOKENIZER + " is not valid JSON (" + firstLine(e.getMessage()) + ")");
        }
    }

    /** Whether the token is a key or a text value anywhere in the document (vocab, added_tokens, ...). */
    private static boolean mentions(JsonNode node, String token) {
        if (node.isTextual()) {
            return node.asText().equals(token);
        }
        if (node.isObject()) {
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                if (it.next().equals(token)) return true;
            }
        }
        for (JsonNode child : node) {
            if (mentions(child, token)) return true;
        }
        return false;
    }

    private static String firstLine(String message) {
        if (message == null) return "unreadable";
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
