package dev.safemigrate.config;

/**
 * One policy setting whose value is not the one a person approved (or, before any approval, not
 * safemigrate's built-in default).
 *
 * @param approved the value approved, or {@link PolicySettings#UNSET}
 * @param now      the value the configuration holds now, or {@link PolicySettings#UNSET}
 */
public record SettingChange(String setting, String approved, String now) {

    /** {@code policy.allow_hosts: ["localhost"] → ["localhost","db.internal"]}, each value cut to {@code max} characters. */
    public String describe(int max) {
        return setting + ": " + shown(approved, max) + " → " + shown(now, max);
    }

    /** Cut before it is made printable, so an escape is never cut in half. */
    private static String shown(String value, int max) {
        if (value.length() <= max) {
            return PolicySettings.printable(value);
        }
        int cut = Character.isHighSurrogate(value.charAt(max - 1)) ? max - 1 : max;
        return PolicySettings.printable(value.substring(0, cut)) + "… (" + (value.length() - cut) + " more characters)";
    }
}
