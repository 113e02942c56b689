package dev.safemigrate.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.safemigrate.config.ConfigLoader;
import dev.safemigrate.config.PolicySettings;
import dev.safemigrate.config.TrustRecord;

/** The decision whether the server may write with its settings: pure, every case. */
class ConfigTrustTest {

    private static final PolicySettings DEFAULTS = ConfigLoader.builtInSettings();

    private static PolicySettings with(String setting, String value) {
        Map<String, String> v = new LinkedHashMap<>(DEFAULTS.values());
        v.put(setting, value);
        return new PolicySettings(v);
    }

    private static TrustRecord approved(PolicySettings s) {
        return new TrustRecord("/p/safemigrate.toml", Instant.parse("2026-11-25T12:00:00Z"), "alice", s);
    }

    private static final PolicySettings WIDER = with("policy.allow_hosts", "[\"localhost\",\"db.prod\"]");

    @Test
    void theBuiltInDefaultsNeedNoApprovalWhileNoneIsOnRecord() {
        ConfigTrust t = ConfigTrust.judge(DEFAULTS, ConfigTrust.asLoaded(), DEFAULTS, null);
        assertInstanceOf(ConfigTrust.NotNeeded.class, t);
        assertTrue(t.allowsWrites());
        assertEquals("not_needed", t.state());
    }

    @Test
    void anythingButTheDefaultsWaitsForAFirstApprovalNamingWhatDiffers() {
        ConfigTrust t = ConfigTrust.judge(WIDER, ConfigTrust.asLoaded(), DEFAULTS, null);
        assertInstanceOf(ConfigTrust.NeverTrusted.class, t);
        assertFalse(t.allowsWrites());
        assertEquals(List.of("policy.allow_hosts"), t.changedSettings());
        assertEquals("[\"localhost\",\"127.0.0.1\",\"::1\"]", t.changes().get(0).approved());
    }

    @Test
    void approvedSettingsAreTrustedAndAnyChangeIsNot() {
        assertInstanceOf(ConfigTrust.Trusted.class, ConfigTrust.judge(WIDER, ConfigTrust.asLoaded(), DEFAULTS, approved(WIDER)));
        ConfigTrust t = ConfigTrust.judge(with("policy.allow_privileged_role", "true"), ConfigTrust.asLoaded(), DEFAULTS,
                approved(WIDER));
        ConfigTrust.Changed changed = assertInstanceOf(ConfigTrust.Changed.class, t);
        assertEquals(List.of("policy.allow_hosts", "policy.allow_privileged_role"), t.changedSettings());
        assertEquals("alice", changed.approval().approvedBy());
        assertNull(changed.note());
    }

    /** An approval on record also covers the way back to the defaults: deleting the file loosens what was approved. */
    @Test
    void onceSettingsWereApprovedEvenTheDefaultsAreAChange() {
        PolicySettings strict = with("policy.destructive", "refuse");
        ConfigTrust t = ConfigTrust.judge(DEFAULTS, ConfigTrust.asLoaded(), DEFAULTS, approved(strict));
        assertInstanceOf(ConfigTrust.Changed.class, t);
        assertEquals("policy.destructive: refuse → confirm", t.changes().get(0).describe(100));
    }

    @Test
    void aFileEditedAfterTheServerStartedIsAChangeAtOnce() {
        ConfigTrust t = ConfigTrust.judge(DEFAULTS, new ConfigTrust.OnDisk.Read(WIDER), DEFAULTS, approved(DEFAULTS));
        assertInstanceOf(ConfigTrust.Changed.class, t);
        assertEquals(List.of("policy.allow_hosts"), t.changedSettings());
        assertTrue(t.note().contains("edited after this server started"), t.note());

        ConfigTrust unreadable = ConfigTrust.judge(DEFAULTS, new ConfigTrust.OnDisk.Unreadable("unknown key 'policy.x'"),
                DEFAULTS, approved(DEFAULTS));
        assertFalse(unreadable.allowsWrites());
        assertTrue(unreadable.note().contains("unknown key 'policy.x'"), unreadable.note());

        assertInstanceOf(ConfigTrust.NeverTrusted.class,
                ConfigTrust.judge(DEFAULTS, new ConfigTrust.OnDisk.Read(WIDER), DEFAULTS, null));
    }

    @Test
    void aFileApprovedAfterTheServerStartedNeedsARestartNotAnotherApproval() {
        ConfigTrust t = ConfigTrust.judge(DEFAULTS, new ConfigTrust.OnDisk.Read(WIDER), DEFAULTS, approved(WIDER));
        ConfigTrust.Changed changed = assertInstanceOf(ConfigTrust.Changed.class, t);
        assertTrue(changed.restart());
        assertFalse(t.allowsWrites(), "the server still runs with settings that are not the approved ones");
    }
}
