package io.resdet.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.ArrayList;
import java.util.List;

/** {@code bin/resdet}: one launcher, one subcommand per job. */
@Command(name = "resdet",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Object detection with a ResNet backbone: classify, detect, evaluate, train, stream.",
        footer = {"", "Example:", "  resdet detect street.jpg", "  resdet help eval run"})
public final class Main implements Runnable {
    /** The commands, in help order. */
    static final List<Class<?>> COMMANDS = List.of(ClassifyCommand.class, DetectCommand.class, ConvertCommand.class, ModelsCommand.class,
            DoctorCommand.class, BenchCommand.class, EvalCommand.class, DataCommand.class, BrokerCommand.class, ServeCommand.class,
            ProduceCommand.class, ConsumeCommand.class, DemoCommand.class, TrainCommand.class, ExperimentCommand.class,
            CommandLine.HelpCommand.class);

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the CLI in-process (tests call this) and returns the exit code. */
    public static int execute(String... args) {
        System.setProperty("ai.djl.offline", "true");
        // RESDET_GPU=cu128 with the CUDA libtorch not yet in DJL's cache: fetch it before any command starts the
        // engine its own way (that would load the bundled CPU libtorch instead). doctor fetches and reports itself.
        if (io.resdet.nn.GpuSetup.configure().needsFetch() && !(args.length > 0 && args[0].equals("doctor"))
                && !java.util.Arrays.asList(args).contains("--help") && !java.util.Arrays.asList(args).contains("-h")) {
            try {
                io.resdet.nn.Engines.pytorch();
            } catch (IllegalStateException e) {
                System.err.println("resdet: " + e.getMessage());
                return 1;
            }
        }
        return commandLine().execute(args);
    }

    /**
     * The command tree: every command answers {@code -V/--version} with the same lines, and picocli's own
     * {@code help} command gets an example like the others.
     */
    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        for (Class<?> c : COMMANDS) {
            if (loadable(c)) cl.addSubcommand(c);
        }
        cl.setExecutionExceptionHandler(new Errors());
        Version version = new Version();
        forEach(cl, c -> c.getCommandSpec().versionProvider(version));
        CommandLine help = cl.getSubcommands().get("help");
        help.getCommandSpec().usageMessage().footer("", "Example:", "  resdet help detect");
        return cl;
    }

    /**
     * Whether a command's classes resolve: picocli reflects over every command's fields and methods, so one command
     * whose library is absent (an install without the Kafka/Vert.x jars, such as the GPU check kit) would stop all of
     * them. Such a command is left out of that install; a full build has every command (HelpTest).
     */
    static boolean loadable(Class<?> c) {
        try {
            c.getDeclaredMethods();
            c.getDeclaredFields();
            return true;
        } catch (LinkageError e) {
            return false;
        }
    }

    private static void forEach(CommandLine cl, java.util.function.Consumer<CommandLine> f) {
        f.accept(cl);
        for (CommandLine sub : cl.getSubcommands().values()) forEach(sub, f);
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

    /**
     * {@code -V}: resdet's version, DJL's and libtorch's, and the device {@code auto} picks. Loads the engine from
     * the natives resdet ships ({@code ai.djl.offline=true}: nothing is downloaded).
     */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            List<String> out = new ArrayList<>();
            out.add("resdet " + (v == null ? "dev" : v));
            out.add("DJL " + ai.djl.engine.Engine.getDjlVersion());
            try {
                ai.djl.engine.Engine e = io.resdet.nn.Engines.pytorch();
                out.add("libtorch " + e.getVersion() + " (DJL " + e.getEngineName() + " engine)");
                int gpus = io.resdet.nn.Devices.gpuCount();
                out.add("device " + io.resdet.nn.Devices.auto() + " (auto" + (gpus > 0 ? ", " + gpus + " GPU(s)" : ", no GPU") + ")");
            } catch (RuntimeException | UnsatisfiedLinkError e) {
                out.add("libtorch: not loadable (" + e.getMessage() + ")");
            }
            return out.toArray(String[]::new);
        }
    }
}
