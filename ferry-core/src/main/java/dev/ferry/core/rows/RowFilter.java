package dev.ferry.core.rows;

import dev.ferry.core.error.FerryException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.expression.DoubleValue;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.NotExpression;
import net.sf.jsqlparser.expression.NullValue;
import net.sf.jsqlparser.expression.SignedExpression;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.expression.operators.conditional.AndExpression;
import net.sf.jsqlparser.expression.operators.conditional.OrExpression;
import net.sf.jsqlparser.expression.operators.relational.Between;
import net.sf.jsqlparser.expression.operators.relational.EqualsTo;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.expression.operators.relational.GreaterThan;
import net.sf.jsqlparser.expression.operators.relational.GreaterThanEquals;
import net.sf.jsqlparser.expression.operators.relational.InExpression;
import net.sf.jsqlparser.expression.operators.relational.IsNullExpression;
import net.sf.jsqlparser.expression.operators.relational.LikeExpression;
import net.sf.jsqlparser.expression.operators.relational.MinorThan;
import net.sf.jsqlparser.expression.operators.relational.MinorThanEquals;
import net.sf.jsqlparser.expression.operators.relational.NotEqualsTo;
import net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.schema.Column;

/**
 * A {@code --where} filter: parsed as an SQL condition (JSqlParser), then written again as SQL from a
 * short list of forms — comparisons, AND/OR/NOT, LIKE/ILIKE, IN (values), BETWEEN, IS [NOT] NULL, over
 * the table's own columns and literal values — with every literal a bound parameter. Anything else
 * (functions, subqueries, other tables, casts) is refused: the user's text never reaches the engine, so
 * a filter cannot read files, settings or other tables.
 */
public record RowFilter(String sql, List<Object> parameters) {
    private static final String FORMS = "use comparisons (= <> < <= > >=), AND, OR, NOT, LIKE, ILIKE, IN (values),"
            + " BETWEEN, IS [NOT] NULL over the table's columns and literal values, e.g. label = 'cat' AND score > 0.5";

    public RowFilter {
        parameters = List.copyOf(parameters);
    }

    /** The filter {@code text} over a table with {@code columns}; INVALID_ARGUMENT for anything else. */
    public static RowFilter parse(String text, Collection<String> columns) {
        Expression parsed;
        try {
            parsed = CCJSqlParserUtil.parseCondExpression(text, false); // all of it, or nothing
        } catch (JSQLParserException | RuntimeException e) {
            throw FerryException.invalid("cannot read the filter '" + text + "'", FORMS);
        }
        if (parsed == null) {
            throw FerryException.invalid("the filter is empty", FORMS);
        }
        List<Object> parameters = new ArrayList<>();
        StringBuilder sql = new StringBuilder();
        new Writer(columns, parameters, sql, text).write(parsed);
        return new RowFilter(sql.toString(), parameters);
    }

    private record Writer(Collection<String> columns, List<Object> parameters, StringBuilder sql, String text) {
        void write(Expression e) {
            switch (e) {
                case AndExpression and -> binary(and.getLeftExpression(), " AND ", and.getRightExpression());
                case OrExpression or -> binary(or.getLeftExpression(), " OR ", or.getRightExpression());
                case NotExpression not -> {
                    sql.append("(NOT ");
                    write(not.getExpression());
                    sql.append(')');
                }
                case ParenthesedExpressionList<?> list when list.size() == 1 -> {
                    sql.append('(');
                    write(list.get(0));
                    sql.append(')');
                }
                case EqualsTo c -> binary(c.getLeftExpression(), " = ", c.getRightExpression());
                case NotEqualsTo c -> binary(c.getLeftExpression(), " <> ", c.getRightExpression());
                case GreaterThan c -> binary(c.getLeftExpression(), " > ", c.getRightExpression());
                case GreaterThanEquals c -> binary(c.getLeftExpression(), " >= ", c.getRightExpression());
                case MinorThan c -> binary(c.getLeftExpression(), " < ", c.getRightExpression());
                case MinorThanEquals c -> binary(c.getLeftExpression(), " <= ", c.getRightExpression());
                case LikeExpression like when like.getEscape() == null
                        && (like.getLikeKeyWord() == LikeExpression.KeyWord.LIKE || like.getLikeKeyWord() == LikeExpression.KeyWord.ILIKE) ->
                    binary(like.getLeftExpression(), (like.isNot() ? " NOT " : " ") + like.getLikeKeyWord().name() + " ",
                            like.getRightExpression());
                case IsNullExpression isNull -> {
                    sql.append('(');
                    write(isNull.getLeftExpression());
                    sql.append(isNull.isNot() ? " IS NOT NULL)" : " IS NULL)");
                }
                case InExpression in when in.getRightExpression() instanceof ExpressionList<?> values && !values.isEmpty() -> {
                    sql.append('(');
                    write(in.getLeftExpression());
                    sql.append(in.isNot() ? " NOT IN (" : " IN (");
                    for (int i = 0; i < values.size(); i++) {
                        sql.append(i == 0 ? "" : ", ");
                        literal(values.get(i));
                    }
                    sql.append("))");
                }
                case Between between -> {
                    sql.append('(');
                    write(between.getLeftExpression());
                    sql.append(between.isNot() ? " NOT BETWEEN " : " BETWEEN ");
                    literal(between.getBetweenExpressionStart());
                    sql.append(" AND ");
                    literal(between.getBetweenExpressionEnd());
                    sql.append(')');
                }
                case InExpression in -> throw FerryException.invalid("cannot read the IN of the filter '" + text + "'",
                        "give IN a list of values, and put it in parentheses when other conditions follow:"
                        + " (label IN ('cat', 'dog')) AND score > 0.5");
                case Column column -> column(column);
                default -> literal(e);
            }
        }

        private void binary(Expression left, String operator, Expression right) {
            sql.append('(');
            write(left);
            sql.append(operator);
            write(right);
            sql.append(')');
        }

        private void column(Column column) {
            String name = column.getColumnName();
            if (name.length() > 1 && name.startsWith("\"") && name.endsWith("\"")) {
                name = name.substring(1, name.length() - 1).replace("\"\"", "\"");
            }
            if (column.getTable() != null && column.getTable().getName() != null || !columns.contains(name)) {
                throw FerryException.invalid("the filter names '" + column + "', which is not a column of this table",
                        "its columns: " + String.join(", ", columns));
            }
            sql.append('"').append(name.replace("\"", "\"\"")).append('"');
        }

        /** A value: bound as a parameter, never written into the SQL. */
        private void literal(Expression e) {
            Object value = switch (e) {
                case StringValue s -> s.getValue();
                case LongValue l -> l.getValue();
                case DoubleValue d -> d.getValue();
                case SignedExpression s when s.getSign() == '-' && s.getExpression() instanceof LongValue l -> -l.getValue();
                case SignedExpression s when s.getSign() == '-' && s.getExpression() instanceof DoubleValue d -> -d.getValue();
                case NullValue n -> null;
                case Column c -> {
                    column(c);
                    yield Marker.WRITTEN;
                }
                default -> throw FerryException.invalid("the filter '" + text + "' uses " + describe(e) + ", which a filter may not",
                        FORMS);
            };
            if (value == Marker.WRITTEN) {
                return;
            }
            if (value == null) {
                sql.append("NULL");
                return;
            }
            parameters.add(value);
            sql.append('?');
        }

        private static String describe(Expression e) {
            return e.getClass().getSimpleName().replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(java.util.Locale.ROOT)
                    + " (" + e + ")";
        }
    }

    private enum Marker { WRITTEN }
}
