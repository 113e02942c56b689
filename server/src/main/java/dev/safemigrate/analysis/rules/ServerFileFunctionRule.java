package dev.safemigrate.analysis.rules;

import java.util.List;
import java.util.Set;

import dev.safemigrate.analysis.Finding;
import dev.safemigrate.analysis.Severity;
import dev.safemigrate.analysis.StatementContext;

/** block: functions that read, list or write files on the server, or move large objects to and from them. */
public final class ServerFileFunctionRule implements Rule {

    static final Set<String> FUNCTIONS = Set.of("pg_read_file", "pg_read_binary_file", "pg_ls_dir", "pg_stat_file",
            "pg_ls_logdir", "pg_ls_waldir", "pg_ls_tmpdir", "pg_ls_archive_statusdir", "pg_ls_logicalsnapdir",
            "pg_ls_logicalmapdir", "pg_ls_replslotdir", "pg_file_write", "pg_file_rename", "pg_file_unlink",
            "pg_file_sync", "pg_logdir_ls", "lo_import", "lo_export");

    public List<String> ids() {
        return List.of("server-file-function");
    }

    public List<Finding> check(StatementContext s) {
        List<String> used = BlockedFunctions.calledOf(s.calls(), FUNCTIONS);
        if (used.isEmpty()) {
            return List.of();
        }
        return List.of(s.finding("server-file-function", Severity.BLOCK,
                "Calls " + String.join(", ", used) + ", which reads or writes files on the database server.",
                "Keep files out of the database server: load data with COPY … FROM STDIN or INSERT … VALUES, "
                        + "and store binary data in a bytea column."));
    }
}
