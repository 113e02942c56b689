package dev.safemigrate.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.safemigrate.audit.AuditEntry;
import dev.safemigrate.audit.AuditReader;

/** The audit lines a person's commands wrote in a test project's log (the agents' calls left out). */
final class PersonAudit {

    private PersonAudit() {}

    static List<AuditEntry> lines(Path projectRoot) throws IOException {
        Path log = projectRoot.resolve(".safemigrate/audit.jsonl");
        if (!Files.exists(log)) {
            return List.of();
        }
        return AuditReader.read(log).stream().map(AuditReader.Line::entry)
                .filter(e -> CommandAudit.TERMINAL.equals(e.client())).toList();
    }

    static String logText(Path projectRoot) throws IOException {
        Path log = projectRoot.resolve(".safemigrate/audit.jsonl");
        return Files.exists(log) ? Files.readString(log) : "";
    }
}
