package io.resdet.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Runs {@link Main#execute} in-process and captures what it prints. */
record CliRun(int code, String out, String err) {
    /** The evaluation fixtures live with the eval module's tests. */
    static final Path FIXTURES = Path.of("..", "eval", "src", "test", "resources", "fixtures");

    static CliRun of(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = Main.execute(args);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The last line of stderr: where a failing command puts its one-line message. */
    String lastErrLine() {
        String[] lines = err.strip().split("\n");
        return lines[lines.length - 1];
    }
}
