package io.workerrole.jobs.entity;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A list of job type names and {@code *} patterns, as {@code worker.types.include} and
 * {@code worker.types.exclude} hold them: {@code thumbnail,image-*,script:*}. A type matches
 * when it matches any entry; {@code *} stands for any run of characters (none included), every
 * other character for itself. Entries are separated by commas, blanks around them ignored.
 */
public final class TypePattern {

    /** An entry: what a type name may hold (letters, digits, '.', '_', '-', a script's ':'), and '*'. */
    private static final Pattern ENTRY = Pattern.compile("[A-Za-z0-9._:*-]{1,100}");

    /** Every type: {@code *}. */
    public static final TypePattern ALL = parse("*");
    /** No type: the empty list. */
    public static final TypePattern NONE = parse("");

    private final List<String> entries;
    private final List<Pattern> patterns;

    private TypePattern(List<String> entries) {
        this.entries = List.copyOf(entries);
        this.patterns = entries.stream().map(TypePattern::compile).toList();
    }

    /**
     * @param text comma-separated type names and {@code *} patterns; blank for none
     * @throws IllegalArgumentException naming an entry that is no type name nor pattern
     */
    public static TypePattern parse(String text) {
        List<String> entries = new ArrayList<>();
        for (String entry : text.split(",", -1)) {
            String trimmed = entry.strip();
            if (trimmed.isEmpty()) {
                continue;
            }
            if (!ENTRY.matcher(trimmed).matches()) {
                throw new IllegalArgumentException("\"" + trimmed + "\" is neither a job type nor a pattern of them");
            }
            entries.add(trimmed);
        }
        return new TypePattern(entries);
    }

    /** @return whether the type matches an entry of the list */
    public boolean matches(String type) {
        for (Pattern pattern : patterns) {
            if (pattern.matcher(type).matches()) {
                return true;
            }
        }
        return false;
    }

    /** @return whether the list has no entry, so matches nothing */
    public boolean isEmpty() {
        return entries.isEmpty();
    }

    private static Pattern compile(String entry) {
        StringBuilder regex = new StringBuilder();
        int from = 0;
        for (int star = entry.indexOf('*'); star >= 0; star = entry.indexOf('*', from)) {
            regex.append(Pattern.quote(entry.substring(from, star))).append(".*");
            from = star + 1;
        }
        return Pattern.compile(regex.append(Pattern.quote(entry.substring(from))).toString());
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TypePattern that && entries.equals(that.entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    /** @return the entries as a setting would list them: {@code thumbnail,image-*} */
    @Override
    public String toString() {
        return String.join(",", entries);
    }
}
