package dev.safemigrate.tools;

import java.util.List;

/**
 * Which part of a long list a call asked for. Paging is by position in an order that does not
 * change between calls on the same files and database (version, then statement, then rule), so
 * offsets 0, 50, 100… together show every item exactly once.
 *
 * @param explicit whether the agent gave a limit: only then may a page use the {@link Budget#CEILING}
 */
record Page(int offset, int limit, boolean explicit) {

    static final int MAX_LIMIT = 200;

    static Page of(Integer offset, Integer limit, int defaultLimit) throws ToolException {
        int o = offset == null ? 0 : offset;
        if (o < 0 || (limit != null && (limit < 1 || limit > MAX_LIMIT))) {
            throw new ToolException(ToolError.INVALID_INPUT, "offset must be 0 or more and limit 1 to " + MAX_LIMIT
                    + " (got offset " + offset + ", limit " + limit + ")",
                    "Page with offset 0, 50, 100… and a limit up to " + MAX_LIMIT + ", as truncated.how shows.");
        }
        return new Page(o, limit == null ? defaultLimit : limit, limit != null);
    }

    int budget() {
        return explicit ? Budget.CEILING : Budget.RESULT;
    }

    /** The items of this page that exist, at most {@code n} of them. */
    <T> List<T> slice(List<T> all, int n) {
        int from = Math.min(offset, all.size());
        return all.subList(from, Math.min(all.size(), from + Math.min(n, limit)));
    }

    /** How many items this page can show at most. */
    int room(int total) {
        return Math.max(0, Math.min(limit, total - Math.min(offset, total)));
    }
}
