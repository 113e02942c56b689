package dev.safemigrate.audit;

import java.nio.file.Path;

/** A second process appending to the same log, for {@link ConcurrentWritersTest}. */
public final class AppendMany {

    public static void main(String[] args) throws Exception {
        AuditLog log = Logs.at(Path.of(args[0]));
        int n = Integer.parseInt(args[1]);
        for (int i = 0; i < n; i++) {
            log.append(Calls.allowed("process-" + ProcessHandle.current().pid()));
        }
    }
}
