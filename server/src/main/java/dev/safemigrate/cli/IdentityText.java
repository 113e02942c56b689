package dev.safemigrate.cli;

import dev.safemigrate.db.DatabaseIdentity;

/** The database identity block, first in every command's report: a person must see where they are. */
final class IdentityText {

    private IdentityText() {}

    static String of(DatabaseIdentity d) {
        StringBuilder sb = new StringBuilder();
        sb.append("Database     ").append(d.name()).append(" on ").append(d.host()).append(':').append(d.port())
                .append(" as ").append(d.user()).append('\n');
        sb.append("Role powers  ").append(d.leastPrivileged() ? "none beyond its own database (least-privileged)"
                : String.join(", ", d.privileges())).append('\n');
        sb.append("Server       PostgreSQL ").append(d.serverVersion())
                .append(d.serverAddress() == null ? "" : " at " + d.serverAddress()).append('\n');
        sb.append("search_path  ").append(d.searchPath()).append('\n');
        sb.append("Marker       ").append(d.environment() == null
                ? "none (safemigrate.environment is not set)" : "safemigrate.environment = '" + d.environment() + "'")
                .append('\n');
        if (d.verified()) {
            sb.append("Verdict      VERIFIED development database: safemigrate may write to it\n");
        } else {
            sb.append("Verdict      NOT the development database: safemigrate refuses to write to it\n");
            for (String p : d.problems()) {
                sb.append("             - ").append(p).append('\n');
            }
        }
        return sb.toString();
    }
}
