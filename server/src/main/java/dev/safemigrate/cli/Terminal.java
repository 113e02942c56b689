package dev.safemigrate.cli;

import java.io.Console;

/**
 * The person at the keyboard. Commands that change a database on a person's word (mark-dev,
 * restore) ask through this and refuse without one: an agent running a shell command has no
 * terminal, and must not be able to answer "yes" for the person.
 */
public interface Terminal {

    /** Whether a person is at a terminal (stdin and stdout are a TTY). */
    boolean interactive();

    /** @return the line the person typed, or null at end of input */
    String readLine(String prompt);

    /** A password: not echoed, never an argument (which other users' {@code ps} would show). */
    default String readSecret(String prompt) {
        return readLine(prompt);
    }

    Terminal NONE = new Terminal() {
        @Override
        public boolean interactive() {
            return false;
        }

        @Override
        public String readLine(String prompt) {
            return null;
        }
    };

    /** The process's terminal: {@link System#console()} is null unless stdin and stdout are a TTY. */
    static Terminal system() {
        Console console = System.console();
        if (console == null) {
            return NONE;
        }
        return new Terminal() {
            @Override
            public boolean interactive() {
                return true;
            }

            @Override
            public String readLine(String prompt) {
                return console.readLine("%s", prompt);
            }

            @Override
            public String readSecret(String prompt) {
                char[] secret = console.readPassword("%s", prompt);
                return secret == null ? null : new String(secret);
            }
        };
    }

    /** The refusal both person-only commands give when there is no terminal. */
    static String refusal(String command) {
        return "safemigrate " + command + ": refusing: stdin is not a terminal. This command changes a database on a "
                + "person's word, so a person must run it in a terminal and answer its question; it cannot be scripted or "
                + "run by an agent.";
    }
}
