package dev.safemigrate.analysis;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

import net.sf.jsqlparser.parser.CCJSqlParser;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.statement.Statement;

/**
 * JSqlParser with a budget of CPU time. JavaCC's backtracking can take exponential time on some inputs
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

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

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
        AtomicLong workerId = new AtomicLong(-1);
        AtomicLong cpuAtStart = new AtomicLong();
        Future<Statement> result = worker().submit(() -> {
            cpuAtStart.set(THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : 0);
            workerId.set(Thread.currentThread().getId());   // after cpuAtStart: whoever sees the id sees the start
            try {
                return parser.Statement();
            } finally {
                finished.countDown();
            }
        });
        try {
            return new Result(await(result, workerId, cpuAtStart), false);
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

    /**
     * The parse's result, or TimeoutException once it has used its budget of CPU time. CPU time,
     * not wall time: on a loaded machine (a CI runner, a laptop compiling) a parse that waits for
     * a core is not pathological, and a spurious timeout now costs a confirmation. Wall time is
     * still capped, at ten budgets, for a worker that gets no CPU at all.
     */
    private Statement await(Future<Statement> result, AtomicLong workerId, AtomicLong cpuAtStart)
            throws TimeoutException, ExecutionException, InterruptedException {
        long start = System.nanoTime();
        long budget = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        long slice = Math.max(1, timeoutMillis / 5);
        while (true) {
            try {
                return result.get(slice, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                long wall = System.nanoTime() - start;
                long id = workerId.get();
                long cpu = id < 0 || !THREADS.isThreadCpuTimeEnabled() ? -1 : THREADS.getThreadCpuTime(id);
                boolean budgetUsed = id >= 0 && (cpu < 0 ? wall >= budget : cpu - cpuAtStart.get() >= budget);
                if (budgetUsed || wall >= 10 * budget) {
                    throw e;
                }
            }
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
