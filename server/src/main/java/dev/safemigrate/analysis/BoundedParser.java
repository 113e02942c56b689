package dev.safemigrate.analysis;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import net.sf.jsqlparser.parser.CCJSqlParser;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.statement.Statement;

/**
 * JSqlParser with a deadline. JavaCC's backtracking can take exponential time on some inputs, so a
 * parse runs on a worker thread of our own and is abandoned when it overruns: the parser's
 * {@code interrupted} flag is raised (JSqlParser checks it between lookaheads) and the worker is
 * replaced, so one pathological statement costs at most the timeout and never blocks the next.
 * CCJSqlParserUtil.parse would create a new thread pool per call; ours is created once, lazily.
 * Parses are serialised: one worker, one parse at a time.
 */
final class BoundedParser {

    private final long timeoutMillis;
    private ExecutorService worker;

    BoundedParser(long timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
    }

    /** The parsed statement, or null when JSqlParser rejects it or runs out of time. */
    synchronized Statement parse(String sql) {
        CCJSqlParser parser = CCJSqlParserUtil.newParser(sql)
                .withSquareBracketQuotation(false)      // PostgreSQL has no [identifier] quoting
                .withBackslashEscapeCharacter(false)    // standard_conforming_strings: '\' is a plain character
                .withAllowComplexParsing(true);
        Future<Statement> result = worker().submit(parser::Statement);
        try {
            return result.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            parser.interrupted = true;
            result.cancel(true);
            worker.shutdownNow();
            worker = null;
            return null;
        } catch (ExecutionException e) {
            return null;   // a ParseException, TokenMgrError or StackOverflowError: not understood
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private ExecutorService worker() {
        if (worker == null) {
            worker = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "safemigrate-sql-parser");
                t.setDaemon(true);
                return t;
            });
        }
        return worker;
    }
}
