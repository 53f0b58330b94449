package dev.ferry.core.ingest.dataset;

import dev.ferry.core.model.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.Map;
import java.util.TreeMap;

/**
 * One pass over a text file: it must be UTF-8 (a byte-order mark is fine) without NUL characters; its
 * whitespace-separated tokens are counted, and for each number of tab-separated fields a non-empty
 * line has, the first line that has it (a file with no such line counts as one line of one field).
 * Streams, so a file of any size costs a buffer; hashes the bytes on the way.
 *
 * @param tokens whitespace-separated tokens (as Python's str.split() counts them)
 * @param fields number of tab-separated fields -> the first line (1-based) with that many
 */
record TextScan(long tokens, Map<Integer, Long> fields, Digest digest) {

    /** Why a file is not usable text. */
    static final class NotText extends Exception {
        NotText(String message) {
            super(message, null, false, false);
        }
    }

    static TextScan of(Path file) throws NotText {
        MessageDigest sha = Digest.sha256();
        long tokens = 0;
        Map<Integer, Long> fields = new TreeMap<>();
        try (InputStream raw = new DigestInputStream(Files.newInputStream(file), sha);
                Reader in = new InputStreamReader(raw, StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT))) {
            char[] buf = new char[8192];
            boolean inToken = false;
            long line = 1;
            int tabs = 0;
            boolean lineHasText = false;
            boolean first = true;
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                for (int i = 0; i < n; i++) {
                    char c = buf[i];
                    if (first) {
                        first = false;
                        if (c == '\uFEFF') continue;
                    }
                    if (c == 0) {
                        throw new NotText("a NUL character on line " + line + " (a binary file?)");
                    }
                    boolean space = isSpace(c);
                    if (!space && !inToken) {
                        tokens++;
                    }
                    inToken = !space;
                    if (c == '\n') {
                        if (lineHasText) fields.putIfAbsent(tabs + 1, line);
                        line++;
                        tabs = 0;
                        lineHasText = false;
                    } else if (c == '\t') {
                        tabs++;
                        lineHasText = true;
                    } else if (c != '\r') {
                        lineHasText = true;
                    }
                }
            }
            if (lineHasText) fields.putIfAbsent(tabs + 1, line);
        } catch (CharacterCodingException e) {
            throw new NotText("not UTF-8 text");
        } catch (IOException e) {
            throw new NotText("cannot be read (" + e.getMessage() + ")");
        }
        if (fields.isEmpty()) {
            fields.put(1, 1L);
        }
        return new TextScan(tokens, fields, Digest.fromBytes(sha.digest()));
    }

    /** Whitespace as Python's str.split() sees it: the line and space separators of Unicode too. */
    private static boolean isSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u0085';
    }

    /** The first line whose number of tab-separated fields is not one of {@code allowed}, or null. */
    String fieldsProblem(int... allowed) {
        for (Map.Entry<Integer, Long> e : fields.entrySet()) {
            boolean ok = false;
            for (int a : allowed) {
                ok |= e.getKey() == a;
            }
            if (!ok) {
                return "line " + e.getValue() + " has " + e.getKey() + " tab-separated field" + (e.getKey() == 1 ? "" : "s");
            }
        }
        return null;
    }
}
