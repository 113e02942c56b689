package dev.safemigrate.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.toml.TomlMapper;

/**
 * Reads safemigrate.toml into one immutable {@link Config}. Strict on purpose: an unknown key is
 * most often a typo in a safety setting ({@code deny_paterns}), and silently ignoring it would
 * run with a weaker policy than the person wrote.
 */
public final class ConfigLoader {

    public static final String FILE_NAME = "safemigrate.toml";

    static final List<String> DEFAULT_ALLOW_HOSTS = List.of("localhost", "127.0.0.1", "::1");
    static final List<String> DEFAULT_DENY_PATTERNS = List.of("prod", "production", "live");

    private static final Map<String, Set<String>> KNOWN_KEYS = Map.of(
            "migrations", Set.of("dir", "versioning", "layout"),
            "dev", Set.of("url", "user", "password", "expect_database", "embedded"),
            "policy", Set.of("allow_hosts", "deny_patterns", "destructive", "backup_before_apply",
                    "lock_timeout", "statement_timeout", "allow_privileged_role"),
            "backup", Set.of("dir", "keep", "pg_dump"),
            "audit", Set.of("log"));

    /** Thread-safe once built; the server reads its file again before each write ({@code tools/ConfigApproval}). */
    private static final TomlMapper TOML = new TomlMapper();

    private final Function<String, String> environment;
    private final Path userConfigHome;

    /**
     * @param environment looked up only for explicit {@code ${env:NAME}} references; the key folder is
     *                    found from this process's own XDG_CONFIG_HOME or HOME (see {@link KeyFolder})
     */
    public ConfigLoader(Function<String, String> environment) {
        this(environment, KeyFolder.userConfigHome(System::getenv));
    }

    /** @param userConfigHome the folder holding safemigrate/projects/… (normally ~/.config) */
    public ConfigLoader(Function<String, String> environment, Path userConfigHome) {
        this.environment = environment;
        this.userConfigHome = userConfigHome;
    }

    /**
     * @param explicit the {@code --config} path, or {@code null} to use ./safemigrate.toml when it
     *                 exists and the embedded default otherwise
     */
    public Config load(Path explicit, Path workingDir) {
        if (explicit != null) {
            Path file = workingDir.resolve(explicit).toAbsolutePath().normalize();
            if (!Files.isRegularFile(file)) {
                throw new ConfigException("--config " + explicit + ": no such file (" + file + ")");
            }
            return fromFile(file);
        }
        Path file = workingDir.resolve(FILE_NAME).toAbsolutePath().normalize();
        return Files.isRegularFile(file) ? fromFile(file) : embeddedDefault(workingDir.toAbsolutePath().normalize());
    }

    /** No file at all: an embedded PostgreSQL under .safemigrate/, everything else at its default. */
    public Config embeddedDefault(Path root) {
        return builtIn(root, KeyFolder.forProject(userConfigHome, root));
    }

    private static Config builtIn(Path root, Path keyDir) {
        Path state = root.resolve(Config.STATE_DIR);
        return new Config(root, null,
                new Config.Migrations(root.resolve("db/migrations"), Config.Versioning.TIMESTAMP),
                new Config.Dev(null, null, null, null, true),
                defaultPolicy(),
                new Config.Backup(state.resolve("backups"), 20, "pg_dump"),
                new Config.Audit(state.resolve("audit.jsonl")), keyDir, Set.of(), Map.of());
    }

    /**
     * The policy-relevant settings of the embedded default: the same for every project, since its
     * paths are relative to the project. A configuration holding exactly these can loosen nothing.
     */
    public static PolicySettings builtInSettings() {
        Path anywhere = Path.of("").toAbsolutePath();
        return builtIn(anywhere, anywhere).policySettings();
    }

    static Config.Policy defaultPolicy() {
        return new Config.Policy(DEFAULT_ALLOW_HOSTS, DEFAULT_DENY_PATTERNS, Config.DestructiveMode.CONFIRM,
                Config.BackupBeforeApply.DESTRUCTIVE, Duration.ofSeconds(5), Duration.ofMinutes(10));
    }

    public Config fromFile(Path file) {
        JsonNode root;
        try {
            root = TOML.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new ConfigException("cannot read " + file + ": " + e.getMessage());
        } catch (JacksonException e) {
            throw new ConfigException(file + " is not valid TOML: " + e.getOriginalMessage());
        }
        return new Reader(file, root, new SecretReferences(environment, file.getParent()), userConfigHome).read();
    }

    /** One read of one file: carries the file name into every error message. */
    private static final class Reader {
        private final Path file;
        private final JsonNode root;
        private final SecretReferences secrets;
        private final Path base;
        private final Path userConfigHome;
        /** The secret-bearing values as written, before their references are resolved. */
        private final Map<String, String> written = new java.util.HashMap<>();

        Reader(Path file, JsonNode root, SecretReferences secrets, Path userConfigHome) {
            this.file = file;
            this.root = root;
            this.secrets = secrets;
            this.base = file.getParent();
            this.userConfigHome = userConfigHome;
        }

        Config read() {
            checkKeys();
            JsonNode m = section("migrations");
            JsonNode d = section("dev");
            JsonNode p = section("policy");
            JsonNode b = section("backup");
            JsonNode a = section("audit");

            Config.Layout layout = enumValue("migrations.layout", m, "layout", Config.Layout.FLYWAY);
            Config.Versioning versioning = enumValue("migrations.versioning", m, "versioning", Config.Versioning.TIMESTAMP);
            if (layout == Config.Layout.PRISMA && versioning != Config.Versioning.TIMESTAMP) {
                throw new ConfigException("[migrations] in " + file + " sets layout = \"prisma\" and versioning = \""
                        + versioning.name().toLowerCase(Locale.ROOT) + "\": Prisma names every migration "
                        + "<timestamp>_<name>; remove versioning");
            }
            var migrations = new Config.Migrations(path("migrations.dir", m, "dir",
                    layout == Config.Layout.PRISMA ? "prisma/migrations" : "db/migrations"), versioning, layout);

            boolean embedded = bool("dev.embedded", d, "embedded", false);
            String url = secret("dev.url", d, "url");
            if (!embedded && url == null) {
                throw new ConfigException("'dev.url' is missing in " + file + ": set url = \"jdbc:postgresql://localhost:5432/app_dev\""
                        + " or embedded = true under [dev]");
            }
            if (embedded && url != null) {
                throw new ConfigException("[dev] in " + file + " sets both 'url' and 'embedded = true'; choose one");
            }
            if (url != null && !url.startsWith("jdbc:postgresql:")) {
                throw new ConfigException("'dev.url' in " + file + " must be a PostgreSQL JDBC URL (jdbc:postgresql://host:port/db), got: "
                        + Redactor.withoutParameters(url));
            }
            if (url != null) {
                String why = UrlParameters.refusal(url);
                if (why != null) {
                    throw new ConfigException("'dev.url' in " + file + ": " + why);
                }
            }
            var dev = new Config.Dev(url, secret("dev.user", d, "user"), secret("dev.password", d, "password"),
                    string("dev.expect_database", d, "expect_database"), embedded);

            Config.Policy defaults = defaultPolicy();
            var policy = new Config.Policy(
                    stringList("policy.allow_hosts", p, "allow_hosts", defaults.allowHosts()),
                    stringList("policy.deny_patterns", p, "deny_patterns", defaults.denyPatterns()),
                    enumValue("policy.destructive", p, "destructive", defaults.destructive()),
                    enumValue("policy.backup_before_apply", p, "backup_before_apply", defaults.backupBeforeApply()),
                    duration("policy.lock_timeout", p, "lock_timeout", defaults.lockTimeout()),
                    duration("policy.statement_timeout", p, "statement_timeout", defaults.statementTimeout()),
                    bool("policy.allow_privileged_role", p, "allow_privileged_role", false));

            int keep = integer("backup.keep", b, "keep", 20);
            if (keep < 1) {
                throw new ConfigException("'backup.keep' in " + file + " must be at least 1, got " + keep);
            }
            var backup = new Config.Backup(path("backup.dir", b, "dir", Config.STATE_DIR + "/backups"), keep,
                    stringOr("backup.pg_dump", b, "pg_dump", "pg_dump"));
            var audit = new Config.Audit(path("audit.log", a, "log", Config.STATE_DIR + "/audit.jsonl"));
            return new Config(base, file, migrations, dev, policy, backup, audit, KeyFolder.forProject(userConfigHome, base),
                    secretValues(dev), written);
        }

        /**
         * What must never be shown: the password however it was given, every referenced value (a
         * reference is how a person says "this is secret") except the user name, which every identity
         * block shows, and the password parameters of the URL.
         */
        private Set<String> secretValues(Config.Dev dev) {
            Set<String> out = new java.util.HashSet<>();
            if (dev.password() != null) {
                out.add(dev.password());
            }
            for (SecretReferences.Resolved r : secrets.resolved()) {
                if (!r.key().equals("dev.user")) {
                    out.add(r.value());
                }
            }
            if (dev.url() != null && dev.url().indexOf('?') >= 0) {
                for (String param : dev.url().substring(dev.url().indexOf('?') + 1).split("&")) {
                    int eq = param.indexOf('=');
                    String name = eq < 0 ? param : param.substring(0, eq);
                    if (eq > 0 && name.toLowerCase(Locale.ROOT).contains("password")) {
                        out.add(param.substring(eq + 1));
                        out.add(java.net.URLDecoder.decode(param.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8));
                    }
                }
            }
            return out;
        }

        private void checkKeys() {
            for (var entry : root.properties()) {
                Set<String> known = KNOWN_KEYS.get(entry.getKey());
                if (known == null) {
                    throw new ConfigException("unknown section or key '" + entry.getKey() + "' in " + file
                            + "; known sections: [migrations], [dev], [policy], [backup], [audit]");
                }
                if (!entry.getValue().isObject()) {
                    throw new ConfigException("'" + entry.getKey() + "' in " + file + " must be a section ([" + entry.getKey() + "])");
                }
                for (var key : entry.getValue().properties()) {
                    if (!known.contains(key.getKey())) {
                        throw new ConfigException("unknown key '" + entry.getKey() + "." + key.getKey() + "' in " + file
                                + "; known keys in [" + entry.getKey() + "]: " + String.join(", ", known.stream().sorted().toList()));
                    }
                }
            }
        }

        private JsonNode section(String name) {
            return root.path(name);
        }

        private String string(String key, JsonNode section, String field) {
            JsonNode v = section.get(field);
            if (v == null || v.isNull()) {
                return null;
            }
            if (!v.isString()) {
                throw new ConfigException("'" + key + "' in " + file + " must be a string");
            }
            return v.asString();
        }

        private String stringOr(String key, JsonNode section, String field, String fallback) {
            String v = string(key, section, field);
            return v == null ? fallback : v;
        }

        private String secret(String key, JsonNode section, String field) {
            String v = string(key, section, field);
            if (v == null) {
                return null;
            }
            written.put(key, v);
            return secrets.resolve(key, v, file);
        }

        private Path path(String key, JsonNode section, String field, String fallback) {
            return base.resolve(stringOr(key, section, field, fallback)).normalize();
        }

        private boolean bool(String key, JsonNode section, String field, boolean fallback) {
            JsonNode v = section.get(field);
            if (v == null) {
                return fallback;
            }
            if (!v.isBoolean()) {
                throw new ConfigException("'" + key + "' in " + file + " must be true or false");
            }
            return v.booleanValue();
        }

        private int integer(String key, JsonNode section, String field, int fallback) {
            JsonNode v = section.get(field);
            if (v == null) {
                return fallback;
            }
            if (!v.canConvertToInt() || !v.isIntegralNumber()) {
                throw new ConfigException("'" + key + "' in " + file + " must be a whole number");
            }
            return v.intValue();
        }

        private List<String> stringList(String key, JsonNode section, String field, List<String> fallback) {
            JsonNode v = section.get(field);
            if (v == null) {
                return fallback;
            }
            if (!v.isArray()) {
                throw new ConfigException("'" + key + "' in " + file + " must be a list of strings, e.g. [\"localhost\"]");
            }
            List<String> out = new ArrayList<>();
            for (JsonNode item : v) {
                if (!item.isString() || item.asString().isBlank()) {
                    throw new ConfigException("'" + key + "' in " + file + " must hold only non-empty strings");
                }
                out.add(item.asString().toLowerCase(Locale.ROOT));
            }
            return out;
        }

        private Duration duration(String key, JsonNode section, String field, Duration fallback) {
            String v = string(key, section, field);
            return v == null ? fallback : DurationSetting.parse(key, v, file);
        }

        private <E extends Enum<E>> E enumValue(String key, JsonNode section, String field, E fallback) {
            String v = string(key, section, field);
            if (v == null) {
                return fallback;
            }
            for (E constant : fallback.getDeclaringClass().getEnumConstants()) {
                if (constant.name().equalsIgnoreCase(v)) {
                    return constant;
                }
            }
            List<String> allowed = new ArrayList<>();
            for (E constant : fallback.getDeclaringClass().getEnumConstants()) {
                allowed.add(constant.name().toLowerCase(Locale.ROOT));
            }
            throw new ConfigException("'" + key + "' in " + file + " is '" + v + "'; allowed: " + String.join(" | ", allowed));
        }
    }
}
