package dev.safemigrate.cli;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** A person at a terminal who types the given answers, one per question. */
final class ScriptedTerminal implements Terminal {

    final List<String> prompts = new ArrayList<>();
    private final Deque<String> answers = new ArrayDeque<>();

    ScriptedTerminal(String... answers) {
        this.answers.addAll(List.of(answers));
    }

    @Override
    public boolean interactive() {
        return true;
    }

    @Override
    public String readLine(String prompt) {
        prompts.add(prompt);
        return answers.poll();
    }
}
