package io.resdet.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every command's --help: no picocli warnings, whole-sentence summaries, every option described, an example. */
class HelpTest {
    @Test
    void everyCommandsHelpIsComplete() {
        List<String> problems = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        walk(Main.commandLine(), problems, seen);
        assertTrue(seen.size() > 20, "walked " + seen);
        assertEquals(List.of(), problems, String.join("\n", problems));
    }

    private static void walk(CommandLine cl, List<String> problems, List<String> seen) {
        CommandSpec spec = cl.getCommandSpec();
        String name = spec.qualifiedName();
        seen.add(name);
        List<String> args = new ArrayList<>(List.of(name.split(" ")));
        args.remove(0);
        args.add("--help");
        CliRun r = CliRun.of(args.toArray(String[]::new));
        String help = r.out() + r.err();
        if (r.code() != 0) problems.add(name + ": --help exits " + r.code());
        if (help.contains("[picocli WARN]")) problems.add(name + ": " + help.lines().filter(l -> l.contains("[picocli WARN]")).toList());
        if (!help.contains("Example")) problems.add(name + ": no \"Example\" in its help");
        String summary = summary(spec);
        if (!summary.strip().endsWith(".")) problems.add(name + ": summary does not end a sentence: '" + summary + "'");
        for (OptionSpec o : spec.options()) {
            if (o.hidden()) continue;
            if (o.description().length == 0 || String.join("", o.description()).isBlank()) {
                problems.add(name + ": option " + o.longestName() + " has no description");
            }
        }
        for (CommandLine sub : cl.getSubcommands().values()) {
            if (sub.getCommandSpec().parent() == spec && !seen.contains(sub.getCommandSpec().qualifiedName())) walk(sub, problems, seen);
        }
    }

    /** What a parent's command list shows: the header's first line, else the description's. */
    private static String summary(CommandSpec spec) {
        String[] header = spec.usageMessage().header();
        String[] desc = spec.usageMessage().description();
        String s = header.length > 0 ? header[0] : desc.length > 0 ? desc[0] : "";
        return s.replace("%n", "").strip();
    }
}
