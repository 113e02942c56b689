package dev.safemigrate.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.safemigrate.config.Config;

/** Every rule of the write policy, both ways, without a database. */
class DevDatabasePolicyTest {

    private static final Config.Policy DEFAULTS = new Config.Policy(List.of("localhost", "127.0.0.1", "::1"),
            List.of("prod", "production", "live"), Config.DestructiveMode.CONFIRM, Config.BackupBeforeApply.DESTRUCTIVE,
            Duration.ofSeconds(5), Duration.ofMinutes(10));

    private static List<String> problems(IdentityFacts facts) {
        return new DevDatabasePolicy(DEFAULTS, null).problems(facts);
    }

    private static IdentityFacts facts(String host, String db, String marker, boolean replica) {
        return new IdentityFacts(List.of(host), db, marker, replica);
    }

    @Test
    void loopbackDevDatabaseWithoutMarkerIsVerified() {
        assertEquals(List.of(), problems(facts("localhost", "app_dev", null, false)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "127.0.0.1", "::1", "[::1]", "LOCALHOST"})
    void allowedHostsPass(String host) {
        assertEquals(List.of(), problems(facts(host, "app_dev", null, false)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"db.internal", "10.0.0.5", "app-dev.example.com", "127.0.0.2"})
    void hostsOutsideAllowHostsAreRefused(String host) {
        List<String> p = problems(facts(host, "app_dev", null, false));
        assertEquals(1, p.size(), p.toString());
        assertTrue(p.get(0).contains("not in policy.allow_hosts"));
    }

    @Test
    void everyHostOfAMultiHostUrlMustBeAllowed() {
        List<String> p = problems(new IdentityFacts(List.of("localhost", "replica.internal"), "app_dev", null, false));
        assertEquals(1, p.size());
        assertTrue(p.get(0).contains("replica.internal"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"shop_production", "prod", "app_prod", "PROD_app", "live", "app-live", "prod2", "production"})
    void databaseNamesMatchingDenyPatternsAreRefused(String db) {
        List<String> p = problems(facts("localhost", db, null, false));
        assertTrue(p.stream().anyMatch(x -> x.contains("matches policy.deny_patterns")), db + " → " + p);
    }

    @ParameterizedTest
    @ValueSource(strings = {"app_dev", "reproduce", "delivery", "olive_dev", "improvements"})
    void namesMerelyContainingAPatternMidWordPass(String db) {
        assertEquals(List.of(), problems(facts("localhost", db, null, false)));
    }

    @Test
    void hostsMatchingDenyPatternsAreRefusedEvenWhenAllowed() {
        Config.Policy policy = new Config.Policy(List.of("prod-db.internal"), List.of("prod"),
                DEFAULTS.destructive(), DEFAULTS.backupBeforeApply(), DEFAULTS.lockTimeout(), DEFAULTS.statementTimeout());
        List<String> p = new DevDatabasePolicy(policy, null).problems(facts("prod-db.internal", "app_dev", null, false));
        assertEquals(1, p.size());
        assertTrue(p.get(0).contains("host 'prod-db.internal' matches"));
    }

    @ParameterizedTest
    @CsvSource({"app_dev,app_dev,0", "app_dev,app_test,1"})
    void expectDatabaseMustMatchExactly(String expected, String actual, int problemCount) {
        assertEquals(problemCount, new DevDatabasePolicy(DEFAULTS, expected).problems(facts("localhost", actual, null, false)).size());
    }

    @ParameterizedTest
    @CsvSource({"dev,0", "production,1", "staging,1", "DEV,1", "test,1"})
    void onlyTheDevMarkerOrNoneAllowsWrites(String marker, int problemCount) {
        assertEquals(problemCount, problems(facts("localhost", "app_dev", marker, false)).size());
    }

    @Test
    void replicasAreRefused() {
        List<String> p = problems(facts("localhost", "app_dev", null, true));
        assertEquals(1, p.size());
        assertTrue(p.get(0).contains("replica"));
    }

    @Test
    void everyProblemIsListedNotJustTheFirst() {
        List<String> p = new DevDatabasePolicy(DEFAULTS, "app_dev").problems(facts("db.prod.example", "shop_production",
                "production", true));
        assertEquals(6, p.size(), p.toString()); // host not allowed, host denied, name denied, expect, marker, replica
    }
}
