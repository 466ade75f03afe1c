package io.jcontract.agent.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * POSIX {@code getopt} for the commands: single-letter options, grouped
 * ({@code -av}) or not, arguments attached ({@code -i3}) or following;
 * options end at the first operand or at {@code --}, so a command's own
 * arguments ({@code ctrun ... Main -x}) are never taken for ours. Words
 * listed as {@code longWords} (such as {@code -cp}) are taken whole, with
 * one argument; a word in {@code stopWords} (such as {@code -jar}) ends the
 * options and starts the operands.
 */
final class Options {
    /** Option letter (or long word) to its arguments, in order; flags map to empty lists. */
    final Map<String, List<String>> given = new LinkedHashMap<>();
    final List<String> operands = new ArrayList<>();

    private Options() {
    }

    /**
     * Parses {@code args} against {@code spec}: letters, each followed by {@code :} if it takes an argument.
     *
     * @throws CliError (usage) for an unknown option or a missing argument
     */
    static Options parse(String[] args, String spec, List<String> longWords, List<String> stopWords) {
        Options o = new Options();
        int i = 0;
        for (; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--")) {
                i++;
                break;
            }
            if (stopWords.contains(a)) break;
            if (longWords.contains(a)) {
                if (i + 1 >= args.length) throw CliError.usage("option " + a + " needs an argument");
                o.given.computeIfAbsent(a, k -> new ArrayList<>()).add(args[++i]);
                continue;
            }
            if (!a.startsWith("-") || a.length() == 1) break;
            i = o.group(args, i, spec);
        }
        for (; i < args.length; i++) o.operands.add(args[i]);
        return o;
    }

    /**
     * Parses {@code args} as {@link #parse} does, but with options allowed after operands too
     * ({@code ctstat PID -v}), as GNU getopt permutes them; {@code --} still ends the options.
     */
    static Options parseAnywhere(String[] args, String spec) {
        Options o = new Options();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--")) {
                for (i++; i < args.length; i++) o.operands.add(args[i]);
                break;
            }
            if (a.startsWith("-") && a.length() > 1) i = o.group(args, i, spec);
            else o.operands.add(a);
        }
        return o;
    }

    /** Takes the option group {@code args[i]} (and its argument); returns the index of the last word used. */
    private int group(String[] args, int i, String spec) {
        String a = args[i];
        for (int j = 1; j < a.length(); j++) {
            char c = a.charAt(j);
            int at = spec.indexOf(c);
            if (c == ':' || at < 0) throw CliError.usage("unknown option -" + c);
            List<String> values = given.computeIfAbsent(String.valueOf(c), k -> new ArrayList<>());
            if (at + 1 < spec.length() && spec.charAt(at + 1) == ':') {
                if (j + 1 < a.length()) values.add(a.substring(j + 1));
                else if (i + 1 < args.length) values.add(args[++i]);
                else throw CliError.usage("option -" + c + " needs an argument");
                break;
            }
            values.add("");     // a flag: one empty value per time given (-vv)
        }
        return i;
    }

    /** How many times flag {@code option} was given. */
    int count(String option) {
        return given.getOrDefault(option, List.of()).size();
    }

    boolean has(String option) {
        return given.containsKey(option);
    }

    /** The last value of {@code option}, or {@code null}. */
    String last(String option) {
        List<String> v = given.get(option);
        return v == null || v.isEmpty() ? null : v.getLast();
    }

    /** Every value of {@code option}, in order. */
    List<String> all(String option) {
        return given.getOrDefault(option, List.of());
    }

    /** Splits list arguments as ctstat(1) does: items separated by commas or spaces. */
    static List<String> items(List<String> values) {
        List<String> out = new ArrayList<>();
        for (String v : values)
            for (String item : v.split("[,\\s]+"))
                if (!item.isEmpty()) out.add(item);
        return out;
    }

    /**
     * {@code text} as a number in [{@code min}, {@code max}].
     *
     * @throws CliError (usage) naming {@code what} otherwise
     */
    static long number(String text, String what, long min, long max) {
        long n;
        try {
            n = Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw CliError.usage("invalid " + what + " '" + text + "': not a number");
        }
        if (n < min || n > max) throw CliError.usage("invalid " + what + " '" + text + "': not in " + min + ".." + max);
        return n;
    }
}
