package dev.ferry.core.ingest.dataset;

import dev.ferry.core.ingest.Category;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * token_classification: each text file is whitespace-separated tokens; each record's label cell holds
 * one IOB2 tag per token, space-separated ({@code O}, {@code B-TYPE}, {@code I-TYPE}). The dataset's
 * labels are the distinct tags.
 */
final class TokenClassification extends TextDataset {
    private static final Pattern TAG = Pattern.compile("O|[BI]-\\S+");

    TokenClassification() {
        super(Category.TOKEN_CLASSIFICATION);
    }

    @Override
    boolean labelIsClass() {
        return false;
    }

    @Override
    Paired pair(Candidate candidate, Object info, Context context) {
        TextScan text = (TextScan) info;
        String cell = candidate.label() == null ? "" : candidate.label();
        String[] tags = cell.isEmpty() ? new String[0] : cell.split("\\s+");
        Set<String> distinct = new TreeSet<>();
        for (String tag : tags) {
            if (!TAG.matcher(tag).matches()) {
                return new Refused("rows whose tags are not IOB2 (O, B-TYPE or I-TYPE, space-separated)",
                        candidate.record().where() + " " + Values.shown(tag));
            }
            distinct.add(tag);
        }
        if (tags.length != text.tokens()) {
            return new Refused("rows whose number of tags is not their text's number of tokens",
                    candidate.record().where() + " " + tags.length + " tag" + (tags.length == 1 ? "" : "s") + " for "
                            + text.tokens() + " token" + (text.tokens() == 1 ? "" : "s") + " in " + candidate.filename());
        }
        return new Accepted(List.of(), distinct, List.of(), null);
    }
}
