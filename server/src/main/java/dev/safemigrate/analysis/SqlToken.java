package dev.safemigrate.analysis;

/**
 * One lexical token of a statement.
 *
 * @param type  what the token is
 * @param text  a word lowercased (PostgreSQL folds unquoted names); a quoted identifier, string or
 *              dollar-quoted body without its quotes and with its escapes decoded (U&amp;"\0064blink" is
 *              dblink); a symbol as written; for {@link Type#INVALID}, the literal as written
 * @param depth parenthesis depth at the token (0 = top level of the statement)
 */
public record SqlToken(Type type, String text, int depth) {

    /**
     * {@code INVALID}: a literal PostgreSQL would reject (an undecodable U&amp; or E'' escape); the
     * statement holding one is not understood, see {@link StatementTokens#understood()}.
     */
    public enum Type { WORD, QUOTED_IDENTIFIER, STRING, DOLLAR_STRING, NUMBER, SYMBOL, INVALID }

    public boolean isWord(String word) {
        return type == Type.WORD && text.equals(word);
    }

    public boolean isSymbol(String symbol) {
        return type == Type.SYMBOL && text.equals(symbol);
    }

    /** A name part: an unquoted word or a quoted identifier. */
    public boolean isName() {
        return type == Type.WORD || type == Type.QUOTED_IDENTIFIER;
    }

    public boolean isString() {
        return type == Type.STRING || type == Type.DOLLAR_STRING;
    }
}
