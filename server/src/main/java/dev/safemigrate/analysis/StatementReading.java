package dev.safemigrate.analysis;

import java.util.Set;

/**
 * What one statement's text says, before any rule runs: read once per migration, whether the
 * analysis is static or knows the catalog (see {@link FirstReading}). Depends on the statement alone.
 *
 * @param calls        every {@code name(} of the statement, bodies of code included ({@link StatementTokens#calledFunctions})
 * @param unknownCalls the calls that are not side-effect-free built-ins ({@link FunctionCalls#unknown})
 * @param returning    a RETURNING at the statement's own level (one inside parentheses belongs to a WITH query
 *                     or a subquery): found while the tokens are at hand, since they may be released before the
 *                     analysis is assembled
 */
record StatementReading(SqlStatement statement, StatementTokens tokens, Reading reading, LockMode lock, boolean rewrite,
                        boolean transactional, Set<String> calls, Set<String> unknownCalls, boolean returning) {}
