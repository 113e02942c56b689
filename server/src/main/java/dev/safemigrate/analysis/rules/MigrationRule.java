package dev.safemigrate.analysis.rules;

import java.util.List;

import dev.safemigrate.analysis.Finding;
import dev.safemigrate.analysis.StatementContext;

/** A rule about how the statements of one migration combine (transactions, held locks). */
public interface MigrationRule {

    List<String> ids();

    List<Finding> check(List<StatementContext> statements);
}
