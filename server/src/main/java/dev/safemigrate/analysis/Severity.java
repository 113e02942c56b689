package dev.safemigrate.analysis;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/** How a finding weighs, most severe first. */
public enum Severity {
    /** never allowed: the migration is refused */
    BLOCK,
    /** destructive or data-losing: applied only after confirmation */
    CONFIRM,
    /** locking or rewrite risk, with the safer pattern */
    WARN,
    /** hygiene */
    INFO;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean atLeast(Severity other) {
        return ordinal() <= other.ordinal();
    }
}
