package dev.safemigrate.migrations;

import java.util.regex.Pattern;

/** The slug an agent gives a migration. A slug, never a path: no separators, dots or case games. */
public final class MigrationName {

    private static final Pattern SLUG = Pattern.compile("[a-z0-9_]{1,60}");

    private MigrationName() {}

    /** @return null when valid, otherwise why not */
    public static String problem(String name) {
        if (name == null || name.isEmpty()) {
            return "the name is empty";
        }
        if (SLUG.matcher(name).matches()) {
            return null;
        }
        if (name.contains("/") || name.contains("\\") || name.contains("..")) {
            return "the name '" + name + "' looks like a path; it must be a slug, and the server chooses the folder";
        }
        if (name.length() > 60) {
            return "the name is " + name.length() + " characters long; at most 60";
        }
        return "the name '" + name + "' has characters outside [a-z0-9_]";
    }
}
