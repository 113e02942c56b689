package dev.safemigrate.tools;

import java.util.function.IntFunction;

/**
 * How much of an agent's context one result may take. Claude Code hands the model the
 * structuredContent JSON, files away a successful result over 50,000 characters (the model sees
 * only a path) and cuts an error result over about 11,000, keeping the head; so a result keeps
 * under these figures whatever the size of the history, and says what it left out ({@link Truncated}).
 */
final class Budget {

    /** A successful result without an explicit page size. */
    static final int RESULT = 8_000;
    /** A page the agent asked for with {@code limit}: never more, whatever the limit. */
    static final int CEILING = 20_000;
    /** An error result: under the cut of the clients that keep only its head. */
    static final int ERROR = 8_000;
    /**
     * Kept free below each figure: the secrets the edge redacts may be replaced by a longer mark, and
     * a client may escape characters Jackson writes as they are.
     */
    private static final int MARGIN = 400;

    private Budget() {}

    static int usable(int budget) {
        return budget - MARGIN;
    }

    static boolean fits(Object result, int budget) {
        return ResultJson.length(result) <= usable(budget);
    }

    /**
     * The result with the most items that fits, by bisection: the size grows with the number of
     * items shown. When not even none fits, the result with none.
     *
     * @param build the result showing its first n items
     */
    static <T> T largest(int max, int budget, IntFunction<T> build) {
        return bisect(max, usable(budget), build).value();
    }

    /**
     * As {@link #largest}, for a part another result embeds: the part may take {@code chars}
     * characters, the whole result keeps the margin.
     */
    static <T> T largestWithin(int max, int chars, IntFunction<T> build) {
        return bisect(max, chars, build).value();
    }

    /** How many items {@link #largest} shows: for a result fitted on several lists, one list at a time. */
    static int most(int max, int budget, IntFunction<?> build) {
        return bisect(max, usable(budget), build).count();
    }

    private record Fit<T>(int count, T value) {}

    private static <T> Fit<T> bisect(int max, int chars, IntFunction<T> build) {
        T full = build.apply(max);
        if (max == 0 || ResultJson.length(full) <= chars) {
            return new Fit<>(max, full);
        }
        int lo = 0;
        int hi = max - 1;
        Fit<T> best = null;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            T candidate = build.apply(mid);
            if (ResultJson.length(candidate) <= chars) {
                best = new Fit<>(mid, candidate);
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return best != null ? best : new Fit<>(0, build.apply(0));
    }

    /** A long text cut to its head, saying how much was left out: messages that quote SQL or list problems. */
    static String clip(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        int cut = max;
        if (Character.isHighSurrogate(text.charAt(cut - 1))) {
            cut--;
        }
        return text.substring(0, cut) + "… (" + (text.length() - cut) + " more characters)";
    }
}
