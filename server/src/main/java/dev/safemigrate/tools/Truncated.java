package dev.safemigrate.tools;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a result left something out, said in one place: how many items it shows of how many,
 * and the exact call that shows the rest. When more than one list was cut, the first (the one the
 * call asked about, or the largest) is described here and the others in {@code also}.
 *
 * @param of   the list that was cut, as named in the result (findings, migrations, statements…)
 * @param how  a call the agent can make as it is, e.g. {@code show_sql {"list":"findings","offset":20}}
 */
public record Truncated(int shown, int total, String how, String of, List<Truncated> also) {

    /** Collects the cuts while a result is fitted to its budget. */
    static final class Cuts {
        private final List<Truncated> cuts = new ArrayList<>();

        /** Records a cut when fewer than all were shown; a list shown whole is not mentioned. */
        Cuts add(String of, int shown, int total, String how) {
            if (shown < total) {
                cuts.add(new Truncated(shown, total, how, of, null));
            }
            return this;
        }

        boolean isEmpty() {
            return cuts.isEmpty();
        }

        /** @return null when nothing was left out */
        Truncated result() {
            if (cuts.isEmpty()) {
                return null;
            }
            Truncated first = cuts.get(0);
            return new Truncated(first.shown(), first.total(), first.how(), first.of(),
                    cuts.size() == 1 ? null : List.copyOf(cuts.subList(1, cuts.size())));
        }
    }
}
