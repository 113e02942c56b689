package dev.safemigrate.analysis.rules;

import java.util.List;
import java.util.Set;

import dev.safemigrate.analysis.Finding;
import dev.safemigrate.analysis.Severity;
import dev.safemigrate.analysis.StatementContext;

/**
 * block: functions that act on the server beyond this database — other sessions (of any database),
 * the server's configuration, logs, WAL, backups and replication.
 */
public final class ServerControlFunctionRule implements Rule {

    static final Set<String> FUNCTIONS = Set.of("pg_terminate_backend", "pg_cancel_backend", "pg_reload_conf",
            "pg_rotate_logfile", "pg_promote", "pg_switch_wal", "pg_create_restore_point", "pg_backup_start",
            "pg_backup_stop", "pg_start_backup", "pg_stop_backup", "pg_wal_replay_pause", "pg_wal_replay_resume",
            "pg_log_backend_memory_contexts", "pg_create_physical_replication_slot", "pg_create_logical_replication_slot",
            "pg_drop_replication_slot", "pg_copy_physical_replication_slot", "pg_copy_logical_replication_slot",
            "pg_replication_slot_advance", "pg_replication_origin_create", "pg_replication_origin_drop",
            "pg_replication_origin_session_setup", "pg_logical_emit_message", "pg_import_system_collations",
            "pg_stat_reset", "pg_stat_reset_shared", "pg_stat_reset_slru", "pg_stat_reset_replication_slot");

    public List<String> ids() {
        return List.of("server-control-function");
    }

    public List<Finding> check(StatementContext s) {
        List<String> used = BlockedFunctions.calledOf(s.calls(), FUNCTIONS);
        if (used.isEmpty()) {
            return List.of();
        }
        return List.of(s.finding("server-control-function", Severity.BLOCK,
                "Calls " + String.join(", ", used) + ", which acts on the database server beyond this database "
                        + "(other sessions, configuration, WAL, backups or replication).",
                "Leave the server to its administrator; a migration only changes its own database's schema and data."));
    }
}
