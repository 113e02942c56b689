package dev.safemigrate.analysis;

import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A statement's tokens with the few questions rules ask of them.
 *
 * <p>Tokens lexed from a statement can be {@linkplain #release() released} once its rules have run:
 * a 15 MB migration has millions of tokens, and keeping them all until the whole file is judged made
 * most of its analysis time garbage collection. A later question (a migration rule, the rules that
 * read catalog facts) lexes the statement again; lexing depends on its text and its strings setting
 * alone, so the tokens are the same.
 */
public final class StatementTokens {

    /** null once released; then lexed again from {@link #source} when asked */
    private volatile List<SqlToken> tokens;
    /** the statement these tokens were lexed from, or null when they were given (they are never released) */
    private final SqlStatement source;

    public StatementTokens(List<SqlToken> tokens) {
        this.tokens = List.copyOf(tokens);
        this.source = null;
    }

    /** The lexer's own list, which nothing else holds: wrapped, not copied (an INSERT has dozens of tokens). */
    private StatementTokens(List<SqlToken> lexed, SqlStatement source) {
        this.tokens = Collections.unmodifiableList(lexed);
        this.source = source;
    }

    public static StatementTokens of(String sql) {
        return new StatementTokens(SqlLexer.tokens(sql), null);
    }

    /** The statement's tokens read with the standard_conforming_strings setting it runs under. */
    public static StatementTokens of(SqlStatement statement) {
        return new StatementTokens(lex(statement), statement);
    }

    private static List<SqlToken> lex(SqlStatement statement) {
        return SqlLexer.tokens(statement.text(), statement.standardStrings());
    }

    /** Lets the tokens go until asked for again (see the class comment); tokens not lexed from a statement stay. */
    void release() {
        if (source != null) {
            tokens = null;
        }
    }

    /**
     * False when a literal could not be decoded as PostgreSQL would (it rejects the statement): its
     * names and strings are then unknown, so the statement must be treated as opaque.
     */
    public boolean understood() {
        for (SqlToken t : list()) {
            if (t.type() == SqlToken.Type.INVALID) {
                return false;
            }
        }
        return true;
    }

    public List<SqlToken> list() {
        List<SqlToken> t = tokens;
        if (t == null) {
            t = Collections.unmodifiableList(lex(source));
            tokens = t;
        }
        return t;
    }

    public int size() {
        return list().size();
    }

    public SqlToken get(int i) {
        List<SqlToken> t = list();
        return i >= 0 && i < t.size() ? t.get(i) : null;
    }

    public boolean isWord(int i, String word) {
        SqlToken t = get(i);
        return t != null && t.isWord(word);
    }

    /** Whether the words appear in sequence starting at i. */
    public boolean wordsAt(int i, String... words) {
        for (int k = 0; k < words.length; k++) {
            if (!isWord(i + k, words[k])) {
                return false;
            }
        }
        return true;
    }

    /** First index ≥ from where the words appear in sequence, within [from, to), or -1. */
    public int find(int from, int to, String... words) {
        for (int i = from; i < Math.min(to, size()); i++) {
            if (wordsAt(i, words)) {
                return i;
            }
        }
        return -1;
    }

    public boolean contains(int from, int to, String... words) {
        return find(from, to, words) >= 0;
    }

    /** A possibly schema-qualified name starting at i, normalised: unquoted parts lowercased. */
    public QualifiedName nameAt(int i) {
        SqlToken t = get(i);
        if (t == null || !t.isName()) {
            return null;
        }
        int next = i + 1;
        if (get(next) == null || !get(next).isSymbol(".")) {
            return new QualifiedName(t.text(), next);   // unqualified, the usual case: no builder
        }
        StringBuilder name = new StringBuilder(t.text());
        while (get(next) != null && get(next).isSymbol(".") && get(next + 1) != null && get(next + 1).isName()) {
            name.append('.').append(get(next + 1).text());
            next += 2;
        }
        return new QualifiedName(name.toString(), next);
    }

    /** A name and the index of the token after it. */
    public record QualifiedName(String name, int next) {
        public String unqualified() {
            int dot = name.lastIndexOf('.');
            return dot < 0 ? name : name.substring(dot + 1);
        }
    }

    /**
     * Names of the functions called anywhere in the statement (unqualified, lowercased). The bodies
     * of dollar-quoted strings are searched too, and with {@code searchStrings} the plain strings
     * as well: a DO block or a function body is code, and {@code EXECUTE 'select pg_read_file(…)'}
     * hides its call in a string. Top-level string literals are data and are not searched.
     */
    public Set<String> calledFunctions(boolean searchStrings) {
        Set<String> out = new HashSet<>();
        collectCalls(list(), searchStrings, out, 0);
        return out;
    }

    private static void collectCalls(List<SqlToken> tokens, boolean searchStrings, Set<String> out, int nesting) {
        for (int i = 0; i < tokens.size(); i++) {
            SqlToken t = tokens.get(i);
            if (t.isName() && i + 1 < tokens.size() && tokens.get(i + 1).isSymbol("(")) {
                out.add(t.type() == SqlToken.Type.WORD ? t.text() : t.text().toLowerCase(java.util.Locale.ROOT));
            } else if (nesting < 4 && (t.type() == SqlToken.Type.DOLLAR_STRING
                    || (searchStrings && t.type() == SqlToken.Type.STRING && t.text().indexOf('(') >= 0))) {
                collectCalls(SqlLexer.tokens(t.text()), true, out, nesting + 1);
            }
        }
    }

    /**
     * Splits [from, to) at commas of the given depth: the actions of an ALTER TABLE, the column
     * definitions of a CREATE TABLE. Returns index pairs {start, end}.
     */
    public List<int[]> segments(int from, int to, int depth) {
        List<SqlToken> tokens = list();
        List<int[]> out = new java.util.ArrayList<>();
        int start = from;
        for (int i = from; i < to; i++) {
            SqlToken t = tokens.get(i);
            if (t.depth() == depth && t.isSymbol(",")) {
                out.add(new int[] {start, i});
                start = i + 1;
            }
        }
        if (start < to) {
            out.add(new int[] {start, to});
        }
        return out;
    }

    /** Index of the closing parenthesis matching the one at open, or size() when unbalanced. */
    public int closing(int open) {
        List<SqlToken> tokens = list();
        int depth = tokens.get(open).depth();
        for (int i = open + 1; i < tokens.size(); i++) {
            if (tokens.get(i).isSymbol(")") && tokens.get(i).depth() == depth) {
                return i;
            }
        }
        return tokens.size();
    }

    public Set<String> wordsIn(int from, int to) {
        List<SqlToken> tokens = list();
        Set<String> out = new HashSet<>();
        for (int i = from; i < Math.min(to, tokens.size()); i++) {
            if (tokens.get(i).type() == SqlToken.Type.WORD) {
                out.add(tokens.get(i).text());
            }
        }
        return out;
    }
}
