package dev.ferry.core.ingest;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A column type of the ingest config's {@code schema}, and whether a raw value parses as it. */
public record SqlType(Kind kind, int length, int precision, int scale) {
    public enum Kind { VARCHAR, CHAR, TINYINT, SMALLINT, INT, BIGINT, FLOAT, DOUBLE, DECIMAL, BOOLEAN, DATE, DATETIME, TIME, TEXT }

    private static final Pattern SHAPE = Pattern.compile(
            "\\s*([A-Za-z]+)\\s*(?:\\(\\s*(\\d+)\\s*(?:,\\s*(\\d+)\\s*)?\\))?\\s*");
    private static final Set<String> TRUE = Set.of("true", "t", "yes", "y", "1");
    private static final Set<String> FALSE = Set.of("false", "f", "no", "n", "0");

    /** Parses a type the schema accepted (e.g. {@code VARCHAR(32)}, {@code decimal(10,2)}). */
    public static SqlType parse(String text) {
        Matcher m = SHAPE.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a SQL type: " + text);
        }
        String name = m.group(1).toUpperCase(Locale.ROOT);
        int a = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
        int b = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
        return switch (name) {
            case "VARCHAR" -> new SqlType(Kind.VARCHAR, a, 0, 0);
            case "CHAR" -> new SqlType(Kind.CHAR, a, 0, 0);
            case "TINYINT" -> new SqlType(Kind.TINYINT, 0, 0, 0);
            case "SMALLINT" -> new SqlType(Kind.SMALLINT, 0, 0, 0);
            case "INT", "INTEGER" -> new SqlType(Kind.INT, 0, 0, 0);
            case "BIGINT" -> new SqlType(Kind.BIGINT, 0, 0, 0);
            case "FLOAT", "REAL" -> new SqlType(Kind.FLOAT, 0, 0, 0);
            case "DOUBLE" -> new SqlType(Kind.DOUBLE, 0, 0, 0);
            case "DECIMAL", "NUMERIC" -> new SqlType(Kind.DECIMAL, 0, a, b);
            case "BOOLEAN", "BOOL" -> new SqlType(Kind.BOOLEAN, 0, 0, 0);
            case "DATE" -> new SqlType(Kind.DATE, 0, 0, 0);
            case "DATETIME", "TIMESTAMP" -> new SqlType(Kind.DATETIME, 0, 0, 0);
            case "TIME" -> new SqlType(Kind.TIME, 0, 0, 0);
            case "TEXT" -> new SqlType(Kind.TEXT, 0, 0, 0);
            default -> throw new IllegalArgumentException("not a SQL type: " + text);
        };
    }

    /** Why {@code raw} is not a value of this type, or null if it is. Empty values are NULL, always allowed. */
    public String problem(String raw) {
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        String v = raw.trim();
        try {
            switch (kind) {
                case VARCHAR, CHAR -> {
                    if (raw.length() > length) return "longer than " + length + " characters";
                }
                case TINYINT -> rangeCheck(Long.parseLong(v), -128, 127);
                case SMALLINT -> rangeCheck(Long.parseLong(v), -32768, 32767);
                case INT -> rangeCheck(Long.parseLong(v), Integer.MIN_VALUE, Integer.MAX_VALUE);
                case BIGINT -> Long.parseLong(v);
                case FLOAT, DOUBLE -> {
                    double d = Double.parseDouble(v);
                    if (Double.isNaN(d) && !v.equalsIgnoreCase("nan")) return "not a number";
                }
                case DECIMAL -> {
                    BigDecimal d = new BigDecimal(v);
                    if (d.scale() > scale) return "more than " + scale + " decimal places";
                    if (d.precision() - d.scale() > precision - scale) return "more than " + (precision - scale) + " digits before the decimal point";
                }
                case BOOLEAN -> {
                    String l = v.toLowerCase(Locale.ROOT);
                    if (!TRUE.contains(l) && !FALSE.contains(l)) return "not a boolean (true/false, yes/no, 1/0)";
                }
                case DATE -> LocalDate.parse(v);
                case DATETIME -> parseDateTime(v);
                case TIME -> LocalTime.parse(v);
                case TEXT -> { }
            }
        } catch (NumberFormatException e) {
            return "not a " + describe();
        } catch (DateTimeParseException e) {
            return "not a " + describe() + " (expected " + example() + ")";
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        return null;
    }

    private static void rangeCheck(long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException("out of range " + min + ".." + max);
        }
    }

    private static void parseDateTime(String v) {
        String t = v.replace(' ', 'T');
        try {
            LocalDateTime.parse(t);
        } catch (DateTimeParseException e) {
            OffsetDateTime.parse(t);
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

    public String describe() {
        return switch (kind) {
            case VARCHAR -> "VARCHAR(" + length + ")";
            case CHAR -> "CHAR(" + length + ")";
            case DECIMAL -> "DECIMAL(" + precision + "," + scale + ")";
            default -> kind.name();
        };
    }
}
