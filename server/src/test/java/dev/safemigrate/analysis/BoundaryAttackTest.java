package dev.safemigrate.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The attacks that once got SQL past the analysis, each read again as PostgreSQL reads it. */
class BoundaryAttackTest {

    private static final MigrationAnalyzer ANALYZER = new MigrationAnalyzer();

    @Test
    void dropAfterACarriageReturnEndedCommentIsItsOwnStatementAndNeedsConfirmation() {
        for (String eol : List.of("\r", "\r\n")) {
            MigrationAnalysis a = ANALYZER.analyze("CREATE TABLE t1 (id bigint);\n-- note" + eol + "DROP TABLE app.users;");
            assertEquals(List.of("create_table", "drop_table"), a.statements().stream().map(StatementAnalysis::kind).toList());
            assertTrue(a.ruleIds().contains("drop-table"), a.ruleIds().toString());
            assertFalse(a.ruleIds().contains(BoundaryCheck.RULE), "Flyway and pgjdbc read it the same way: " + a.findings());
        }
    }

    @Test
    void createRoleAfterAFunctionNamedBeginIsItsOwnStatementAndBlocked() {
        MigrationAnalysis a = ANALYZER.analyze(
                "CREATE FUNCTION begin() RETURNS int LANGUAGE sql AS $$select 1$$; CREATE ROLE x SUPERUSER;");
        assertEquals(2, a.statements().size(), a.statements().toString());
        assertEquals("CREATE ROLE x SUPERUSER", a.statements().get(1).text());
        assertTrue(a.findings().stream().anyMatch(f -> f.statement() == 2 && f.rule().equals("role-management")
                && f.severity() == Severity.BLOCK), a.findings().toString());
    }

    @Test
    void beginAtomicBodyStaysOneStatementAndWhatFollowsIsAnalysed() {
        MigrationAnalysis a = ANALYZER.analyze("CREATE FUNCTION f() RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n"
                + "  SELECT CASE WHEN true THEN 1 END;\n  SELECT 2;\nEND;\nCREATE ROLE x SUPERUSER;");
        assertEquals(2, a.statements().size(), a.statements().toString());
        assertTrue(a.statements().get(0).text().endsWith("END"));
        assertFalse(a.ruleIds().contains(BoundaryCheck.RULE), a.findings().toString());
        assertTrue(a.ruleIds().contains("role-management"));
    }

    @Test
    void unicodeEscapedIdentifierIsSeenAsDblink() {
        assertEquals("dblink", name("SELECT U&\"\\0064blink\"('x', 'y')"));
        assertEquals("dblink", name("SELECT U&\"!0064blink\" UESCAPE '!' ('x', 'y')"));
        assertEquals("dblink", name("SELECT U&\"\\+000064blink\"('x', 'y')"));
        MigrationAnalysis a = ANALYZER.analyze("SELECT U&\"\\0064blink\"('host=other', 'DROP TABLE users')");
        assertTrue(a.ruleIds().contains("remote-database-access"), a.ruleIds().toString());
    }

    @Test
    void stringsAreDecodedAsTheServerDecodesThem() {
        assertEquals("role", string("SELECT U&'\\0072ole'"));
        assertEquals("role", string("SELECT E'\\x72\\157le'"));
        assertEquals("role", string("SELECT E'\\u0072ole'"));
        assertEquals("it's", string("SELECT E'it\\'s'"));
        assertEquals("role", string("SELECT 'ro'\n  -- joined by the newline\n'le'"));
        assertEquals("ro", string("SELECT 'ro' 'le'"));   // no newline: two literals (a syntax error)
        assertEquals("a\\b", string("SELECT 'a\\b'"));
        List<SqlToken> off = SqlLexer.tokens("SELECT 'r\\ole'", false);   // standard_conforming_strings off
        assertEquals("role", off.get(1).text());
    }

    @Test
    void invalidEscapesMakeTheStatementNotUnderstood() {
        for (String sql : List.of("SELECT U&\"\\zzzzblink\"()", "SELECT U&'\\d800'", "SELECT U&'x' UESCAPE '+'",
                "SELECT E'\\u12'", "SELECT E'\\xff'", "SELECT U&\"\"", "SELECT E'\\000'")) {
            StatementTokens t = StatementTokens.of(sql);
            assertFalse(t.understood(), sql);
            assertEquals("opaque", ANALYZER.analyze(sql).statements().get(0).kind(), sql);
        }
    }

    @Test
    void namesAreFoldedAsciiOnlyAndCutAt63Bytes() {
        assertEquals("dblink", name("SELECT DBLINK('x')"));
        String longName = "a".repeat(70);
        assertEquals("a".repeat(63), SqlLexer.tokens("SELECT " + longName).get(1).text());
        assertEquals("é".repeat(31), SqlLexer.tokens("SELECT \"" + "é".repeat(40) + "\"").get(1).text());
    }

    @Test
    void dollarQuoteAfterANumberIsADollarQuoteAsInPostgreSQL() {
        List<SqlStatement> s = SqlSplitter.split("SELECT 1$a$;DROP TABLE t;$a$; SELECT 2");
        assertEquals(List.of("SELECT 1$a$;DROP TABLE t;$a$", "SELECT 2"), s.stream().map(SqlStatement::text).toList());
        assertEquals(List.of("SELECT a$b$c", "DROP TABLE x", "SELECT $b$"),
                SqlSplitter.split("SELECT a$b$c; DROP TABLE x; SELECT $b$").stream().map(SqlStatement::text).toList());
    }

    @Test
    void byteOrderMarkIsSkippedAsFlywayStripsIt() {
        MigrationAnalysis a = ANALYZER.analyze("\uFEFFDROP TABLE users;");
        assertEquals("drop_table", a.statements().get(0).kind());
        assertFalse(a.ruleIds().contains(BoundaryCheck.RULE), a.findings().toString());
    }

    @Test
    void lowercaseEStringIsReadByFlywayAsAPlainStringSoTheMigrationIsBlocked() {
        MigrationAnalysis a = ANALYZER.analyze("SELECT e'\\''; DROP TABLE users; SELECT '';");
        assertTrue(a.findings().stream().anyMatch(f -> f.rule().equals(BoundaryCheck.RULE) && f.severity() == Severity.BLOCK
                && f.message().contains("Flyway")), a.findings().toString());
    }

    @Test
    void positionalParameterThatFlywayReadsAsADollarQuoteIsBlocked() {
        MigrationAnalysis a = ANALYZER.analyze("SELECT $1; DROP TABLE users; SELECT $x$;");
        assertTrue(a.ruleIds().contains(BoundaryCheck.RULE), a.findings().toString());
    }

    @Test
    void copyDataWithoutItsEndIsBlockedInsteadOfHangingFlyway() {
        MigrationAnalysis a = ANALYZER.analyze("CREATE TABLE t (id int);\nCOPY t FROM STDIN;\n1\n2\n");
        assertTrue(a.findings().stream().anyMatch(f -> f.rule().equals(BoundaryCheck.RULE) && f.statement() == 2),
                a.findings().toString());
    }

    @Test
    void standardConformingStringsOffIsFollowedAndFlywaysDifferentReadingBlocked() {
        MigrationAnalysis a = ANALYZER.analyze("SET standard_conforming_strings = off;\nSELECT 'a\\'; DROP TABLE users; --';");
        assertEquals(2, a.statements().size(), "PostgreSQL reads one string: " + a.statements());
        assertTrue(a.ruleIds().contains(BoundaryCheck.RULE), "Flyway knows no backslash escapes in '…': " + a.findings());
    }

    @Test
    void aDoubledQuestionMarkThatPgjdbcWouldSendAsOneIsBlockedAndASingleOneOrAQuotedPairIsNot() {
        MigrationAnalysis doubled = ANALYZER.analyze("SELECT '{\"a\":1}'::jsonb ?? 'a';");
        assertTrue(doubled.findings().stream().anyMatch(f -> f.rule().equals(BoundaryCheck.RULE)
                && f.message().contains("rewrites")), doubled.findings().toString());
        assertTrue(doubled.has(Severity.BLOCK), "what would run is not what was analysed");
        MigrationAnalysis single = ANALYZER.analyze("SELECT '{\"a\":1}'::jsonb ? 'a';\nSELECT '??', \"??\", $$??$$; -- ??\n");
        assertFalse(single.ruleIds().contains(BoundaryCheck.RULE), single.findings().toString());
    }

    private static String name(String sql) {
        return SqlLexer.tokens(sql).stream().filter(SqlToken::isName).skip(1).findFirst().map(SqlToken::text).orElse(null);
    }

    private static String string(String sql) {
        SqlToken t = SqlLexer.tokens(sql).stream().filter(x -> x.type() != SqlToken.Type.WORD).findFirst().orElse(null);
        assertNull(t == null || t.type() == SqlToken.Type.STRING ? null : t.type(), sql);
        return t.text();
    }
}
