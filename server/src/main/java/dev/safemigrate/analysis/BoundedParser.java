package dev.safemigrate.analysis;

import java.util.concurrent.CountDownLatch;
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
 * JSqlParser with a deadline. JavaCC's backtracking can take exponential time on some inputs
 * (a dozen nested parentheses take seconds), so a parse runs on a worker thread of our own. When
 * it overruns, the parse is stopped, not abandoned: the parser's {@code interrupted} flag is raised
 * (JSqlParser checks it as it descends into expressions, so the parse ends with an exception) and
 * the caller waits, bounded, until the worker has really finished before the next parse. A parse
 * that ignores the flag past that wait leaves its thread marked as stuck, and until it ends every
 * further statement is reported as timed out without starting another thread: a hostile migration
 * full of pathological statements costs a bounded number of threads (one) and fails closed.
 * CCJSqlParserUtil.parse would create a new thread pool per call; ours is created once, lazily.
 * Parses are serialised: one worker, one parse at a time.
 */
final class BoundedParser {

    /** What a bounded parse produced: the statement, or null when rejected or timed out. */
    record Result(Statement statement, boolean timedOut) {
        static final Result REJECTED = new Result(null, false);
        static final Result TIMED_OUT = new Result(null, true);
    }

    private final long timeoutMillis;
    private final long stopMillis;
    private ExecutorService worker;
    private CountDownLatch stuck;   // the unfinished parse of a worker given up on, or null

    BoundedParser(long timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
        this.stopMillis = Math.max(1000, 4 * timeoutMillis);
    }

    synchronized Result parse(String sql) {
        if (stuck != null) {
            if (stuck.getCount() > 0) {
                return Result.TIMED_OUT;
            }
            stuck = null;
        }
        CCJSqlParser parser = CCJSqlParserUtil.newParser(sql)
                .withSquareBracketQuotation(false)      // PostgreSQL has no [identifier] quoting
                .withBackslashEscapeCharacter(false)    // standard_conforming_strings: '\' is a plain character
                .withAllowComplexParsing(true);
        CountDownLatch finished = new CountDownLatch(1);
        Future<Statement> result = worker().submit(() -> {
            try {
                return parser.Statement();
            } finally {
                finished.countDown();
            }
        });
        try {
            return new Result(result.get(timeoutMillis, TimeUnit.MILLISECONDS), false);
        } catch (TimeoutException e) {
            stop(parser, result, finished);
            return Result.TIMED_OUT;
        } catch (ExecutionException e) {
            return Result.REJECTED;   // a ParseException, TokenMgrError or StackOverflowError: not understood
        } catch (InterruptedException e) {
            stop(parser, result, finished);
            Thread.currentThread().interrupt();
            return Result.TIMED_OUT;
        }
    }

    private void stop(CCJSqlParser parser, Future<Statement> result, CountDownLatch finished) {
        parser.interrupted = true;
        result.cancel(true);
        boolean ended;
        try {
            ended = finished.await(stopMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ended = false;
        }
        if (!ended) {
            worker.shutdownNow();
            worker = null;
            stuck = finished;
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
