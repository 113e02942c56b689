package dev.safemigrate.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.safemigrate.config.Config.BackupBeforeApply;
import dev.safemigrate.config.Config.DestructiveMode;
import dev.safemigrate.policy.ConfirmationToken.Check;

/** The confirmation gate, every mode × token state × client capability. */
class ApplyGateTest {

    @ParameterizedTest
    @EnumSource(DestructiveMode.class)
    void nonDestructiveChangesAreAllowedInEveryModeWithoutAToken(DestructiveMode mode) {
        for (Check token : Check.values()) {
            for (boolean elicit : new boolean[] {true, false}) {
                ApplyDecision d = ApplyGate.decide(mode, BackupBeforeApply.DESTRUCTIVE, false, token, elicit);
                assertEquals(new ApplyDecision.Allow(false), d, mode + " " + token + " " + elicit);
            }
        }
    }

    @Test
    void backupAlwaysMeansBackupEvenForSafeChanges() {
        assertEquals(new ApplyDecision.Allow(true),
                ApplyGate.decide(DestructiveMode.CONFIRM, BackupBeforeApply.ALWAYS, false, Check.ABSENT, false));
    }

    @ParameterizedTest
    @EnumSource(Check.class)
    void refuseModeNeverAppliesDestructiveChangesWhateverTheToken(Check token) {
        ApplyDecision d = ApplyGate.decide(DestructiveMode.REFUSE, BackupBeforeApply.DESTRUCTIVE, true, token, true);
        assertEquals(ApplyGate.POLICY_REFUSED, assertInstanceOf(ApplyDecision.Refuse.class, d).code());
    }

    @Test
    void confirmModeAppliesOnlyWithAValidTokenAndBacksUpFirst() {
        assertEquals(new ApplyDecision.Allow(true),
                ApplyGate.decide(DestructiveMode.CONFIRM, BackupBeforeApply.DESTRUCTIVE, true, Check.VALID, false));
        assertEquals(new ApplyDecision.Allow(false),
                ApplyGate.decide(DestructiveMode.CONFIRM, BackupBeforeApply.NEVER, true, Check.VALID, false));
    }

    @ParameterizedTest
    @EnumSource(value = Check.class, names = {"ABSENT", "EXPIRED", "MISMATCH", "MALFORMED"})
    void confirmModeWithoutAValidTokenNeedsConfirmationSayingWhy(Check token) {
        ApplyDecision d = ApplyGate.decide(DestructiveMode.CONFIRM, BackupBeforeApply.DESTRUCTIVE, true, token, true);
        String reason = assertInstanceOf(ApplyDecision.NeedsConfirmation.class, d).reason();
        assertTrue(!reason.isBlank());
        if (token == Check.EXPIRED) {
            assertTrue(reason.contains("expired"));
        }
    }

    @ParameterizedTest
    @EnumSource(Check.class)
    void humanModeAsksThePersonAndIgnoresTokens(Check token) {
        assertInstanceOf(ApplyDecision.AskPerson.class,
                ApplyGate.decide(DestructiveMode.HUMAN, BackupBeforeApply.DESTRUCTIVE, true, token, true));
        ApplyDecision.Refuse r = assertInstanceOf(ApplyDecision.Refuse.class,
                ApplyGate.decide(DestructiveMode.HUMAN, BackupBeforeApply.DESTRUCTIVE, true, token, false));
        assertTrue(r.message().contains("elicitation"));
    }

    @Test
    void thePersonsAnswerDecides() {
        assertEquals(new ApplyDecision.Allow(true), ApplyGate.afterAsking(true, BackupBeforeApply.DESTRUCTIVE));
        assertEquals(ApplyGate.POLICY_REFUSED,
                assertInstanceOf(ApplyDecision.Refuse.class, ApplyGate.afterAsking(false, BackupBeforeApply.ALWAYS)).code());
    }
}
