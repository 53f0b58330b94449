package dev.ferry.core.ingest;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A column type of the ingest config's {@code schema} (the SQL types the ingest.v1 ingestor
 * accepts, optionally with {@code (n)} or {@code (p,s)}), and whether a raw value parses as it.
 *
 * @param name the type as written, upper-cased ({@code VARCHAR(32)}, {@code TIMESTAMP})
 * @param length the {@code n} of {@code VARCHAR(n)}/{@code CHAR(n)}; 0 when not given (no limit)
 * @param precision the {@code p} of {@code DECIMAL(p,s)}; 0 when not given (no limit)
 * @param scale the {@code s} of {@code DECIMAL(p,s)}
 */
public record SqlType(String name, Kind kind, int length, int precision, int scale) {
    /** What a value of the type is; Parquet columns are typed by it. */
    public enum Kind { STRING, TINYINT, SMALLINT, MEDIUMINT, INT, BIGINT, FLOAT, DOUBLE, DECIMAL, BOOLEAN, DATE, DATETIME, TIME, BLOB }

    private static final Pattern SHAPE = Pattern.compile(
            "\\s*([A-Za-z]+)\\s*(?:\\(\\s*(\\d+)\\s*(?:,\\s*(\\d+)\\s*)?\\))?\\s*");
    private static final Set<String> TRUE = Set.of("true", "t", "yes", "y", "1");
    private static final Set<String> FALSE = Set.of("false", "f", "no", "n", "0");

    /**
     * Values that mean "no value" in a records file, as pandas reads them (the ingestor's reader): they
     * are NULL in a typed column, and never a label.
     */
    public static final Set<String> NA_VALUES = Set.of("", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN",
            "-nan", "1.#IND", "1.#QNAN", "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null");

    public static boolean isNa(String raw) {
        if (raw == null) {
            return true;
        }
        int n = raw.length();
        if (n > LONGEST_NA && !Character.isWhitespace(raw.charAt(0)) && !Character.isWhitespace(raw.charAt(n - 1))) {
            return false; // longer than any NA value, and nothing to trim: the common case of a value, without hashing it
        }
        return NA_VALUES.contains(raw.trim());
    }

    private static final int LONGEST_NA = NA_VALUES.stream().mapToInt(String::length).max().orElse(0);

    /** Parses a type the schema accepted (e.g. {@code VARCHAR(32)}, {@code decimal(10,2)}, {@code INT(11)}). */
    public static SqlType parse(String text) {
        Matcher m = SHAPE.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a SQL type: " + text);
        }
        String base = m.group(1).toUpperCase(Locale.ROOT);
        int a = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
        int b = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
        String name = text.trim().toUpperCase(Locale.ROOT).replaceAll("\\s+", "");
        Kind kind = switch (base) {
            case "VARCHAR", "CHAR", "TEXT" -> Kind.STRING;
            case "TINYINT" -> Kind.TINYINT;
            case "SMALLINT" -> Kind.SMALLINT;
            case "MEDIUMINT" -> Kind.MEDIUMINT;
            case "INT", "INTEGER" -> Kind.INT;
            case "BIGINT" -> Kind.BIGINT;
            case "FLOAT", "REAL" -> Kind.FLOAT;
            case "DOUBLE" -> Kind.DOUBLE;
            case "DECIMAL", "NUMERIC" -> Kind.DECIMAL;
            case "BOOLEAN", "BOOL" -> Kind.BOOLEAN;
            case "DATE" -> Kind.DATE;
            case "DATETIME", "TIMESTAMP" -> Kind.DATETIME;
            case "TIME" -> Kind.TIME;
            case "BLOB", "LONGBLOB" -> Kind.BLOB;
            default -> throw new IllegalArgumentException("not a SQL type: " + text);
        };
        return switch (kind) {
            case STRING -> new SqlType(name, kind, base.equals("TEXT") ? 0 : a, 0, 0);
            case DECIMAL -> new SqlType(name, kind, 0, a, b);
            default -> new SqlType(name, kind, 0, 0, 0);
        };
    }

    /** Whether values of this type are text (labels typed so compare as text, not by numeric value). */
    public boolean isText() {
        return kind == Kind.STRING || kind == Kind.BLOB;
    }

    public boolean isInteger() {
        return switch (kind) {
            case TINYINT, SMALLINT, MEDIUMINT, INT, BIGINT -> true;
            default -> false;
        };
    }

    /**
     * Why {@code raw} is not a value of this type, or null if it is. Empty values, and in columns that
     * are not text the NA-like values ({@link #NA_VALUES}), are NULL, always allowed.
     */
    public String problem(String raw) {
        if (raw == null || raw.isEmpty() || (!isText() && isNa(raw))) {
            return null;
        }
        String v = raw.trim();
        try {
            switch (kind) {
                case STRING -> {
                    if (length > 0 && raw.length() > length) return "longer than " + length + " characters";
                }
                case TINYINT -> rangeCheck(integer(v), -128, 127);
                case SMALLINT -> rangeCheck(integer(v), -32768, 32767);
                case MEDIUMINT -> rangeCheck(integer(v), -8388608, 8388607);
                case INT -> rangeCheck(integer(v), Integer.MIN_VALUE, Integer.MAX_VALUE);
                case BIGINT -> integer(v);
                case FLOAT, DOUBLE -> {
                    if (!isNumber(v)) return "not " + article() + " " + describe();
                }
                case DECIMAL -> {
                    BigDecimal d = new BigDecimal(v);
                    if (precision > 0) {
                        if (d.scale() > scale) return "more than " + scale + " decimal places";
                        if (d.precision() - d.scale() > precision - scale) {
                            return "more than " + (precision - scale) + " digits before the decimal point";
                        }
                    }
                }
                case BOOLEAN -> {
                    String l = v.toLowerCase(Locale.ROOT);
                    if (!TRUE.contains(l) && !FALSE.contains(l)) return "not a boolean (true/false, yes/no, 1/0)";
                }
                case DATE -> LocalDate.parse(v);
                case DATETIME -> instant(v);
                case TIME -> LocalTime.parse(v);
                case BLOB -> { }
            }
        } catch (NumberFormatException e) {
            return "not " + article() + " " + describe();
        } catch (DateTimeParseException e) {
            return "not " + article() + " " + describe() + " (expected " + example() + ")";
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        return null;
    }

    private static final Pattern NUMBER = Pattern.compile(
            "[+-]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?|(?i:[+-]?(?:inf|infinity|nan))");

    /** Whether a value is a number as a CSV reader reads one ({@code 1}, {@code -2.5}, {@code 1e3}, {@code inf}). */
    public static boolean isNumber(String raw) {
        return raw != null && (plainDecimal(raw) || NUMBER.matcher(raw.trim()).matches());
    }

    /**
     * The common case without the pattern: a sign, digits and at most one point, at least one digit —
     * a subset of what {@link #NUMBER} accepts (exponents, inf, nan and spaces are left to it).
     */
    private static boolean plainDecimal(String s) {
        int n = s.length();
        int i = n > 0 && (s.charAt(0) == '+' || s.charAt(0) == '-') ? 1 : 0;
        boolean digits = false;
        boolean point = false;
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                digits = true;
            } else if (c == '.' && !point) {
                point = true;
            } else {
                return false;
            }
        }
        return digits;
    }

    /**
     * The value of a number {@link #isNumber} accepts, or null for anything else: what Java's own
     * parser does not read too ({@code inf}, {@code -Infinity}, {@code nan} in any case).
     */
    public static Double number(String raw) {
        if (!isNumber(raw)) {
            return null;
        }
        String v = raw.trim().toLowerCase(Locale.ROOT);
        String unsigned = v.startsWith("+") || v.startsWith("-") ? v.substring(1) : v;
        return switch (unsigned) {
            case "inf", "infinity" -> v.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            case "nan" -> Double.NaN;
            default -> Double.parseDouble(v);
        };
    }

    /** An integer as written ({@code 2.5} is not one, {@code 3} is), as a long. */
    private static long integer(String v) {
        return Long.parseLong(v.startsWith("+") ? v.substring(1) : v);
    }

    private static void rangeCheck(long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException("out of range " + min + ".." + max);
        }
    }

    /**
     * A date and time as epoch seconds (UTC), for ordering: {@code 2024-05-01}, {@code 2024-05-01 13:45[:30[.123]]},
     * the same with {@code T}, with an offset or {@code Z}. Throws {@link DateTimeParseException}.
     */
    public static double instant(String v) {
        String t = v.trim().replace(' ', 'T');
        if (t.length() == 10) {
            return LocalDate.parse(t).toEpochDay() * 86400.0;
        }
        try {
            LocalDateTime local = LocalDateTime.parse(t);
            return local.toEpochSecond(ZoneOffset.UTC) + local.getNano() / 1e9;
        } catch (DateTimeParseException e) {
            OffsetDateTime at = OffsetDateTime.parse(t);
            return at.toEpochSecond() + at.getNano() / 1e9;
        }
    }

    /**
     * A value of this type as a number that orders values in time: epoch seconds for dates and
     * times, the number itself for numeric types; null when it is NULL or does not parse.
     */
    public Double orderKey(String raw) {
        if (isNa(raw)) {
            return null;
        }
        try {
            return switch (kind) {
                case DATE, DATETIME -> instant(raw);
                case TIME -> (double) LocalTime.parse(raw.trim()).toNanoOfDay();
                default -> number(raw);
            };
        } catch (RuntimeException e) {
            return null;
        }
    }

    private String example() {
        return switch (kind) {
            case DATE -> "YYYY-MM-DD";
            case DATETIME -> "YYYY-MM-DD HH:MM:SS";
            case TIME -> "HH:MM:SS";
            default -> describe();
        };
    }

    private String article() {
        return "AEIOU".indexOf(describe().charAt(0)) >= 0 ? "an" : "a";
    }

    /** The type as the config wrote it, upper-cased. */
    public String describe() {
        return name;
    }
}
