package dev.ferry.core.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What a number is, as a CSV reader reads one: every string of up to five characters over the
 * characters numbers are made of (and a few that are not) is judged by {@link SqlType#isNumber} as the
 * documented pattern judges it — the fast path for plain decimals changes no answer.
 */
class SqlTypeNumberTest {
    private static final Pattern REFERENCE = Pattern.compile(
            "[+-]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?|(?i:[+-]?(?:inf|infinity|nan))");

    @Test
    void everyShortStringIsJudgedAsThePatternJudgesIt() {
        String alphabet = "+-.09eE ix";
        List<String> all = new ArrayList<>(List.of(""));
        List<String> last = List.of("");
        for (int length = 1; length <= 5; length++) {
            List<String> next = new ArrayList<>();
            for (String s : last) {
                for (char c : alphabet.toCharArray()) {
                    next.add(s + c);
                }
            }
            all.addAll(next);
            last = next;
        }
        all.addAll(List.of("inf", "-Infinity", "NaN", "+nan", "1e300", " 12 ", "١٢", "12\u00a0", "0x1F", "1_000"));
        long numbers = 0;
        for (String s : all) {
            boolean expected = REFERENCE.matcher(s.trim()).matches();
            assertThat(SqlType.isNumber(s)).as("'%s'", s).isEqualTo(expected);
            numbers += expected ? 1 : 0;
        }
        assertThat(numbers).isGreaterThan(1000);
    }
}
