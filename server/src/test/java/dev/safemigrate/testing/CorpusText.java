package dev.safemigrate.testing;

/** How the analysis corpus (corpus.tsv) writes SQL on one line. */
public final class CorpusText {

    private CorpusText() {}

    /** \n is a newline, \t a tab, \\ a backslash; any other backslash stays as written. */
    public static String unescape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length() && "nt\\".indexOf(s.charAt(i + 1)) >= 0) {
                char e = s.charAt(++i);
                b.append(e == 'n' ? '\n' : e == 't' ? '\t' : '\\');
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
