package dev.safemigrate.analysis;

import java.util.Collections;
import java.util.Set;

/**
 * Everything a rule may look at for one statement.
 *
 * @param index     1-based position in the migration
 * @param line      1-based line where the statement starts
 * @param reading   the reconciled reading (lexical and parsed; the more dangerous wins)
 * @param calls     functions the statement calls, bodies of DO blocks and functions included (an
 *                  over-approximation, for the rules that block named functions)
 * @param unknownCalls the calls that are not side-effect-free built-ins, found precisely ({@link FunctionCalls})
 * @param devDatabase the name of the development database the migration is for, as PostgreSQL
 *                  stores it; null when not known, and then every statement about a database is
 *                  about another one
 * @param newTables unqualified names of the tables created in this migration so far (this statement
 *                  included): nobody else can be using them, so locking advice does not apply to them.
 *                  A read-only view that grows as analysis proceeds — statement rules run before the
 *                  next statement is read; copying it per statement made analysis quadratic
 * @param provenNotNull {@code table.column} pairs for which an earlier statement of this migration
 *                  added a {@code CHECK (column IS NOT NULL)}: PG12+ then sets NOT NULL without a scan
 * @param targetFacts what the development database's catalog says about the statement's first target
 *                  as it is before the migration; null for a static analysis, a table this migration
 *                  creates, or one an earlier statement of it already changed
 */
public record StatementContext(int index, int line, String text, boolean metaCommand, StatementTokens tokens,
                               Reading reading, LockMode lock, boolean rewrite, boolean transactional,
                               Set<String> calls, Set<String> unknownCalls, Set<String> newTables,
                               Set<String> provenNotNull, String devDatabase, CatalogFacts.Table targetFacts) {

    public StatementContext {
        calls = Set.copyOf(calls);
        unknownCalls = unknownCalls.isEmpty() ? Set.of()
                : java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(unknownCalls));
        newTables = Collections.unmodifiableSet(newTables);
        provenNotNull = Collections.unmodifiableSet(provenNotNull);
    }

    /** This context as a static analysis sees it: for the rules that do not read catalog facts. */
    public StatementContext withoutFacts() {
        return targetFacts == null ? this : new StatementContext(index, line, text, metaCommand, tokens, reading, lock,
                rewrite, transactional, calls, unknownCalls, newTables, provenNotNull, devDatabase, null);
    }

    public String kind() {
        return reading.kind();
    }

    public boolean has(String action) {
        return reading.has(action);
    }

    /** The statement's first target, or "the table" when it names none. */
    public String target() {
        return reading.targets().isEmpty() ? "the table" : reading.targets().get(0);
    }

    /** Whether the statement's target existed before this migration (is not created by it). */
    public boolean onExistingTable() {
        for (String t : reading.targets()) {
            if (isNew(t)) {
                return false;
            }
        }
        return true;
    }

    public boolean isNew(String table) {
        return newTables.contains(table.substring(table.lastIndexOf('.') + 1));
    }

    /** Whether name (as PostgreSQL resolved it) is the development database; never when that is not known. */
    public boolean isDevDatabase(String name) {
        return devDatabase != null && devDatabase.equals(name);
    }

    /** " (public.users is 12 MB with about 80,000 rows …)" when the catalog was read, or "": for the lock findings. */
    public String sizeNote() {
        return targetFacts == null ? "" : " (" + targetFacts.describe() + ")";
    }

    public Finding finding(String rule, Severity severity, String message, String hint) {
        return new Finding(rule, severity, index, line, message, hint);
    }
}
