package dev.safemigrate.policy;

import java.util.List;

import dev.safemigrate.config.PolicySettings;
import dev.safemigrate.config.SettingChange;
import dev.safemigrate.config.TrustRecord;

/**
 * Whether the server may write with its configuration: only with settings a person approved at a
 * terminal ({@link TrustRecord}), or with settings that cannot loosen anything because they are the
 * built-in defaults and no person ever approved others for this project.
 *
 * <p>The settings the server runs with and those its file holds now are both compared: the server
 * reads its file once, at start, so a file edited since would only take effect at the next start,
 * and a person should learn of the change before then, not after.
 */
public sealed interface ConfigTrust {

    /** {@code trusted}, {@code not_needed}, {@code never_trusted} or {@code changed}, as status reports it. */
    String state();

    default boolean allowsWrites() {
        return this instanceof Trusted || this instanceof NotNeeded;
    }

    /** The settings whose values are not the approved ones (before any approval: not the built-in defaults). */
    default List<SettingChange> changes() {
        return List.of();
    }

    /** What else a person should know, e.g. that the file was edited after the server started; null if nothing. */
    default String note() {
        return null;
    }

    default List<String> changedSettings() {
        return changes().stream().map(SettingChange::setting).toList();
    }

    /** The built-in defaults, and no approval on record: nothing is looser than what a person gets without a file. */
    record NotNeeded() implements ConfigTrust {
        @Override
        public String state() {
            return "not_needed";
        }
    }

    record Trusted(TrustRecord approval) implements ConfigTrust {
        @Override
        public String state() {
            return "trusted";
        }
    }

    /**
     * No person approved any settings for this configuration file.
     *
     * @param changes how the settings differ from the built-in defaults
     * @param note    what else a person should know (the file was edited after the server started …); null if nothing
     */
    record NeverTrusted(List<SettingChange> changes, String note) implements ConfigTrust {
        public NeverTrusted {
            changes = List.copyOf(changes);
        }

        @Override
        public String state() {
            return "never_trusted";
        }
    }

    /**
     * The settings differ from the ones a person approved.
     *
     * @param changes each setting whose value is not the approved one
     * @param note    what else a person should know; null if nothing
     * @param restart the file on disk is the approved one, the server still runs with what it read before
     */
    record Changed(TrustRecord approval, List<SettingChange> changes, String note, boolean restart)
            implements ConfigTrust {
        public Changed {
            changes = List.copyOf(changes);
        }

        @Override
        public String state() {
            return "changed";
        }
    }

    /** What the configuration file holds now, compared with what the server read from it at start. */
    sealed interface OnDisk {
        /** The file was not read again (a command that just read it), or there is no file. */
        record AsLoaded() implements OnDisk {}

        record Read(PolicySettings settings) implements OnDisk {}

        /** @param problem why the file no longer loads */
        record Unreadable(String problem) implements OnDisk {}
    }

    static OnDisk asLoaded() {
        return new OnDisk.AsLoaded();
    }

    /**
     * @param running  the settings the server (or command) runs with
     * @param onDisk   what the file holds now
     * @param builtIn  the built-in defaults, which need no approval while none is on record
     * @param approval the approval on record for this configuration file; null when there is none
     */
    static ConfigTrust judge(PolicySettings running, OnDisk onDisk, PolicySettings builtIn, TrustRecord approval) {
        PolicySettings baseline = approval == null ? builtIn : approval.settings();
        List<SettingChange> changes = running.changesFrom(baseline);
        String note = null;
        boolean restart = false;
        if (!changes.isEmpty()) {
            if (approval != null && onDisk instanceof OnDisk.Read read && read.settings().equals(baseline)) {
                restart = true;
                note = "the file was approved as it is now after this server started, which still runs with the "
                        + "settings it read then";
            }
        } else if (onDisk instanceof OnDisk.Unreadable unreadable) {
            note = "the file was edited after this server started and no longer loads: " + unreadable.problem();
        } else if (onDisk instanceof OnDisk.Read read && !read.settings().equals(baseline)) {
            changes = read.settings().changesFrom(baseline);
            note = "the file was edited after this server started";
        }
        if (changes.isEmpty() && note == null) {
            return approval == null ? new NotNeeded() : new Trusted(approval);
        }
        return approval == null ? new NeverTrusted(changes, note) : new Changed(approval, changes, note, restart);
    }
}
