package io.jcontract.example.appserver;

import java.util.Collection;
import java.util.Map;

/**
 * A hand-written JSON writer for the demo's summary and {@code GET /contracts}:
 * values are built as Java maps, lists, strings, numbers, booleans and
 * {@code null}, then written in one pass. No dependency, no parser.
 *
 * <p>Invariants: map keys are strings; maps are written in their iteration
 * order (callers use {@link java.util.LinkedHashMap} for a stable layout);
 * anything else is written as its {@code toString()}, quoted.
 */
final class Json {
    private Json() {
    }

    /** {@code value} as indented JSON (two spaces), ending without a newline. */
    static String write(Object value) {
        StringBuilder out = new StringBuilder(256);
        write(out, value, 0);
        return out.toString();
    }

    private static void write(StringBuilder out, Object v, int depth) {
        switch (v) {
            case null -> out.append("null");
            case Boolean b -> out.append(b);
            case Integer i -> out.append(i);
            case Long l -> out.append(l);
            case Number n -> {
                double d = n.doubleValue();
                if (Double.isNaN(d) || Double.isInfinite(d))
                    throw new IllegalArgumentException("JSON has no representation for " + d);
                out.append(n);
            }
            case Map<?, ?> m -> writeObject(out, m, depth);
            case Collection<?> c -> writeArray(out, c, depth);
            default -> quote(out, v.toString());
        }
    }

    private static void writeObject(StringBuilder out, Map<?, ?> m, int depth) {
        if (m.isEmpty()) {
            out.append("{}");
            return;
        }
        out.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getKey() instanceof String key))
                throw new IllegalArgumentException("JSON object keys must be strings, not " + e.getKey());
            out.append(first ? "\n" : ",\n");
            first = false;
            indent(out, depth + 1);
            quote(out, key);
            out.append(": ");
            write(out, e.getValue(), depth + 1);
        }
        out.append('\n');
        indent(out, depth);
        out.append('}');
    }

    private static void writeArray(StringBuilder out, Collection<?> c, int depth) {
        if (c.isEmpty()) {
            out.append("[]");
            return;
        }
        boolean scalars = c.stream().noneMatch(x -> x instanceof Map || x instanceof Collection);
        out.append('[');
        boolean first = true;
        for (Object x : c) {
            if (scalars) {
                if (!first) out.append(", ");
            } else {
                out.append(first ? "\n" : ",\n");
                indent(out, depth + 1);
            }
            first = false;
            write(out, x, depth + 1);
        }
        if (!scalars) {
            out.append('\n');
            indent(out, depth);
        }
        out.append(']');
    }

    private static void indent(StringBuilder out, int depth) {
        out.append("  ".repeat(depth));
    }

    /** Writes {@code s} as a JSON string: quotes, backslashes and control characters escaped. */
    static void quote(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (ch < 0x20) out.append(String.format("\\u%04x", (int) ch));
                    else out.append(ch);
                }
            }
        }
        out.append('"');
    }
}
