package io.als.eval.report;

import java.util.ArrayList;
import java.util.List;

/** Builds a CSV table: RFC 4180 quoting, LF line ends, doubles in full precision, NaN as "NaN". */
public final class Csv {
    private final StringBuilder text = new StringBuilder();
    private final int columns;

    public Csv(String... header) {
        columns = header.length;
        row((Object[]) header);
    }

    /** Appends a row; it must have one value per header column. */
    public Csv row(Object... values) {
        if (values.length != columns) {
            throw new IllegalArgumentException("a row must have " + columns + " values but had " + values.length);
        }
        List<String> cells = new ArrayList<>(values.length);
        for (Object v : values) {
            cells.add(cell(v));
        }
        text.append(String.join(",", cells)).append('\n');
        return this;
    }

    private static String cell(Object v) {
        if (v == null) {
            return "";
        }
        String s = v.toString();
        if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
