package dev.safemigrate.config;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Replaces every secret value the configuration resolved with {@value #MARK} in text leaving the
 * server. The agent controls the SQL a dry run executes, so PostgreSQL itself can be made to quote
 * a secret back in an error ({@code SELECT 'the-password'::int}, {@code pg_read_file('.env.local')}):
 * whatever the route, the value is cut at the edge — tool results, the audit log, stderr.
 *
 * <p>Values shorter than {@value #MIN_LENGTH} characters are not redacted: replacing every "ab"
 * would mangle each result while protecting a password guessed in seconds anyway.
 */
public final class Redactor {

    public static final String MARK = "[redacted]";
    static final int MIN_LENGTH = 4;

    private static final Redactor NONE = new Redactor(Set.of());

    /** Longest first, so a secret containing another is replaced whole. */
    private final List<String> secrets;

    public Redactor(Set<String> secrets) {
        List<String> s = new ArrayList<>();
        for (String v : secrets) {
            if (v != null && v.length() >= MIN_LENGTH) {
                s.add(v);
            }
        }
        s.sort(Comparator.comparingInt(String::length).reversed());
        this.secrets = List.copyOf(s);
    }

    /**
     * A JDBC URL as it may be shown: without its query string, which can carry {@code password=} or
     * {@code sslpassword=}. Host, port and database stay: they are what a person needs to see.
     */
    public static String withoutParameters(String url) {
        if (url == null) {
            return null;
        }
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q) + "?…";
    }

    public static Redactor none() {
        return NONE;
    }

    public boolean isEmpty() {
        return secrets.isEmpty();
    }

    public String redact(String text) {
        if (text == null || secrets.isEmpty()) {
            return text;
        }
        String out = text;
        for (String s : secrets) {
            if (out.contains(s)) {
                out = out.replace(s, MARK);
            }
        }
        return out;
    }

    /** A copy of a JSON-like value (maps, lists, strings, numbers…) with every string and key redacted. */
    public Object redactValue(Object value) {
        if (secrets.isEmpty()) {
            return value;
        }
        if (value instanceof String s) {
            return redact(s);
        }
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(redact(String.valueOf(k)), redactValue(v)));
            return out;
        }
        if (value instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            l.forEach(v -> out.add(redactValue(v)));
            return out;
        }
        return value;
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> redactMap(Map<String, Object> map) {
        return map == null ? null : (Map<String, Object>) redactValue(map);
    }

    /**
     * A stream that redacts each line before passing it on (stderr: stack traces, the SDK's and the
     * drivers' own logging). Lines are held until their newline so a secret is never split between
     * two writes.
     */
    public PrintStream lines(OutputStream target) {
        return new PrintStream(new LineRedactingStream(target, this), true, StandardCharsets.UTF_8);
    }

    private static final class LineRedactingStream extends OutputStream {
        private static final int MAX_HELD = 64 * 1024;
        private final OutputStream target;
        private final Redactor redactor;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        LineRedactingStream(OutputStream target, Redactor redactor) {
            this.target = target;
            this.redactor = redactor;
        }

        @Override
        public synchronized void write(int b) throws java.io.IOException {
            line.write(b);
            if (b == '\n' || line.size() >= MAX_HELD) {
                emit();
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws java.io.IOException {
            for (int i = off; i < off + len; i++) {
                write(b[i]);
            }
        }

        @Override
        public synchronized void flush() throws java.io.IOException {
            // a partial line stays held: flushing it would split a secret that straddles two prints
            target.flush();
        }

        @Override
        public synchronized void close() throws java.io.IOException {
            emit();
            target.close();
        }

        private void emit() throws java.io.IOException {
            target.write(redactor.redact(line.toString(StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
            line.reset();
            target.flush();
        }
    }
}
