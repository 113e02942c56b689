package dev.safemigrate.analysis.rules;

import java.util.List;
import java.util.stream.Stream;

import dev.safemigrate.analysis.AllowedFindings;
import dev.safemigrate.analysis.BoundaryCheck;

/** Every rule, in the order their findings are listed for a statement. */
public final class RuleSet {

    private RuleSet() {}

    public static List<Rule> statementRules() {
        return List.of(new PsqlMetaCommandRule(), new DropDatabaseRule(), new OtherDatabaseRule(),
                new DatabaseSettingRule(), new RoleManagementRule(), new AlterSystemRule(),
                new ServerFileCopyRule(), new ServerFileFunctionRule(), new ServerControlFunctionRule(),
                new RemoteDatabaseRule(), new LoadLibraryRule(), new SetRoleRule(),
                new TransactionControlRule(), new SafemigrateSettingRule(),
                new DropRule(), new TruncateRule(), new WhereLessDmlRule(), new ColumnTypeChangeRule(), new RenameRule(),
                new OpaqueStatementRule(), new FunctionBodyRule(), new CodeHookRule(), new FunctionCallRule(),
                new IndexConcurrentlyRule(), new SetNotNullRule(),
                new NotNullWithoutDefaultRule(), new VolatileDefaultRule(), new UniqueUsingIndexRule(),
                new BlockingMaintenanceRule(), new AddColumnUniqueRule(), new ConcurrentDropRule(), new TypeHygieneRule());
    }

    public static List<MigrationRule> migrationRules() {
        return List.of(new ConcurrentlyInTransactionRule(), new AccessExclusiveHeldRule(), new ConstraintNotValidRule());
    }

    /**
     * Every rule id, for documentation checks and for the allow comments that may name one; the last two
     * are reported by the analyzer itself (its boundary check, its reading of allow comments).
     */
    public static List<String> ids() {
        return Stream.concat(Stream.concat(statementRules().stream().flatMap(r -> r.ids().stream()),
                migrationRules().stream().flatMap(r -> r.ids().stream())),
                Stream.of(BoundaryCheck.RULE, AllowedFindings.RULE)).toList();
    }
}
