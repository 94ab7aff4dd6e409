package io.resdet.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bin/resdet}: one launcher, one subcommand per job. */
@Command(name = "resdet",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Object detection with a ResNet backbone: classify, detect, evaluate, train, stream.",
        subcommands = {
                ClassifyCommand.class,
                DetectCommand.class,
                ConvertCommand.class,
                BenchCommand.class,
                EvalCommand.class,
                DataCommand.class,
                BrokerCommand.class,
                ServeCommand.class,
                ProduceCommand.class,
                ConsumeCommand.class,
                DemoCommand.class,
                TrainCommand.class,
                ExperimentCommand.class,
                CommandLine.HelpCommand.class,
        })
public final class Main implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the CLI in-process (tests call this) and returns the exit code. */
    public static int execute(String... args) {
        System.setProperty("ai.djl.offline", "true");
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler(new Errors());
        return cl.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }

    /** Bad input ends in one line naming the file or field and a non-zero exit, not a stack trace. */
    static final class Errors implements CommandLine.IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
            String msg = ex.getMessage() == null ? ex.toString() : ex.getMessage();
            cl.getErr().println(cl.getCommandSpec().qualifiedName() + ": " + msg);
            if (Boolean.getBoolean("resdet.debug")) ex.printStackTrace(cl.getErr());
            return ex instanceof UserError ue ? ue.exitCode() : 1;
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"resdet " + (v == null ? "dev" : v)};
        }
    }
}
