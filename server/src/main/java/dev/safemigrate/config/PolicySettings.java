package dev.safemigrate.config;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;

import org.postgresql.Driver;
import tools.jackson.databind.json.JsonMapper;

/**
 * The part of a configuration that decides what the server may do to which database, in one
 * canonical form a person approves ({@code safemigrate trust}) and the server compares before
 * each write: the {@code [dev]} target (the URL as written, the hosts, port and database it
 * reaches, the user, expect_database, the password's reference), every {@code [policy]} setting,
 * the migrations folder, {@code [backup]} and {@code [audit]}.
 *
 * <p>Values are text, one per setting, in a fixed order. Paths are relative to the project, so
 * the built-in defaults read the same in every project. A secret is never part of it: the
 * password is its {@code ${env:…}}/{@code ${dotenv:…}} reference, or only the fact that the file
 * writes one; a password parameter of the URL is cut the same way. The hosts, port, database and
 * user are the resolved ones: identity blocks show them anyway, and an {@code .env} file the agent
 * can write must not move the target unnoticed.
 *
 * @param values setting name → canonical text, in {@link #ORDER}; a setting the configuration leaves unset is absent
 */
public record PolicySettings(Map<String, String> values) {

    /** Every setting, in the order people read them. */
    public static final List<String> ORDER = List.of("migrations.dir", "dev.embedded", "dev.url", "dev.hosts", "dev.port",
            "dev.database", "dev.user", "dev.password", "dev.expect_database", "policy.allow_hosts",
            "policy.deny_patterns", "policy.destructive", "policy.backup_before_apply", "policy.lock_timeout",
            "policy.statement_timeout", "policy.allow_privileged_role", "backup.dir", "backup.keep", "backup.pg_dump",
            "audit.log");

    /** How a setting the configuration leaves unset is shown. */
    public static final String UNSET = "(not set)";
    static final String LITERAL_SECRET = "(written in the file; not shown)";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public PolicySettings {
        Map<String, String> ordered = new LinkedHashMap<>();
        for (String key : ORDER) {
            if (values.get(key) != null) {
                ordered.put(key, values.get(key));
            }
        }
        for (String key : values.keySet()) {
            if (values.get(key) != null && !ordered.containsKey(key)) {
                throw new IllegalArgumentException("not a policy setting: " + key);
            }
        }
        values = Collections.unmodifiableMap(ordered);
    }

    static PolicySettings of(Config c) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("migrations.dir", path(c.projectRoot(), c.migrations().dir()));
        Config.Dev dev = c.dev();
        v.put("dev.embedded", String.valueOf(dev.embedded()));
        if (dev.url() != null) {
            v.put("dev.url", url(c.written().getOrDefault("dev.url", dev.url())));
            Properties target = Driver.parseURL(dev.url(), null);
            if (target != null) {
                v.put("dev.hosts", list(List.of(target.getProperty("PGHOST", "localhost").split(","))));
                v.put("dev.port", target.getProperty("PGPORT", "5432"));
                v.put("dev.database", target.getProperty("PGDBNAME", ""));
            }
        }
        v.put("dev.user", dev.user());
        if (dev.password() != null) {
            v.put("dev.password", references(c.written().getOrDefault("dev.password", dev.password())));
        }
        v.put("dev.expect_database", dev.expectDatabase());
        Config.Policy p = c.policy();
        v.put("policy.allow_hosts", list(p.allowHosts()));
        v.put("policy.deny_patterns", list(p.denyPatterns()));
        v.put("policy.destructive", p.destructive().name().toLowerCase(Locale.ROOT));
        v.put("policy.backup_before_apply", p.backupBeforeApply().name().toLowerCase(Locale.ROOT));
        v.put("policy.lock_timeout", DurationSetting.format(p.lockTimeout()));
        v.put("policy.statement_timeout", DurationSetting.format(p.statementTimeout()));
        v.put("policy.allow_privileged_role", String.valueOf(p.allowPrivilegedRole()));
        v.put("backup.dir", path(c.projectRoot(), c.backup().dir()));
        v.put("backup.keep", String.valueOf(c.backup().keep()));
        v.put("backup.pg_dump", c.backup().pgDump());
        v.put("audit.log", path(c.projectRoot(), c.audit().log()));
        return new PolicySettings(v);
    }

    /** The value of one setting; null when unset. */
    public String get(String setting) {
        return values.get(setting);
    }

    /** sha256 over the settings in a form independent of their order: what the approval record names. */
    public String digest() {
        try {
            byte[] canonical = JSON.writeValueAsString(new TreeMap<>(values)).getBytes(StandardCharsets.UTF_8);
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    /** Every setting whose value differs from {@code approved}, in {@link #ORDER}. */
    public List<SettingChange> changesFrom(PolicySettings approved) {
        List<SettingChange> out = new ArrayList<>();
        for (String key : ORDER) {
            String before = approved.values.get(key);
            String now = values.get(key);
            if (!Objects.equals(before, now)) {
                out.add(new SettingChange(key, before == null ? UNSET : before, now == null ? UNSET : now));
            }
        }
        return out;
    }

    /**
     * A value as a terminal or an agent may be shown it: control and formatting characters (escape
     * sequences, carriage returns, right-to-left overrides, zero-width characters) are written as
     * {@code \\uXXXX}, so a value the agent wrote cannot hide or rewrite what the person reads before
     * approving it. (A list is JSON text already, whose own escapes then show as written.)
     */
    public static String printable(String value) {
        StringBuilder out = new StringBuilder(value.length());
        value.codePoints().forEach(cp -> {
            if (Character.isISOControl(cp) || Character.getType(cp) == Character.FORMAT
                    || Character.getType(cp) == Character.LINE_SEPARATOR
                    || Character.getType(cp) == Character.PARAGRAPH_SEPARATOR) {
                out.append(String.format("\\u%04x", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.toString();
    }

    private static String path(Path root, Path p) {
        try {
            String relative = root.relativize(p).toString().replace('\\', '/');
            return relative.isEmpty() ? "." : relative;
        } catch (IllegalArgumentException e) {
            return p.toString();
        }
    }

    private static String list(List<String> items) {
        return JSON.writeValueAsString(items);
    }

    /**
     * A URL as written, its password parameters cut unless they are references: a literal there is
     * a secret like any other.
     */
    private static String url(String written) {
        int q = written.indexOf('?');
        if (q < 0) {
            return written;
        }
        List<String> params = new ArrayList<>();
        for (String param : written.substring(q + 1).split("&", -1)) {
            int eq = param.indexOf('=');
            String name = eq < 0 ? param : param.substring(0, eq);
            if (eq >= 0 && name.toLowerCase(Locale.ROOT).contains("password")) {
                params.add(name + "=" + references(param.substring(eq + 1)));
            } else {
                params.add(param);
            }
        }
        return written.substring(0, q + 1) + String.join("&", params);
    }

    /** A secret as written, with only its references kept: each literal run becomes {@code …}. */
    private static String references(String written) {
        Matcher m = SecretReferences.REFERENCE.matcher(written);
        StringBuilder out = new StringBuilder();
        int last = 0;
        while (m.find()) {
            if (m.start() > last) {
                out.append('…');
            }
            out.append(m.group());
            last = m.end();
        }
        if (last == 0) {
            return written.isEmpty() ? "" : LITERAL_SECRET;
        }
        if (last < written.length()) {
            out.append('…');
        }
        return out.toString();
    }
}
