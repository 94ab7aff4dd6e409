package io.resdet.testing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The arrays of one oracle run, shared by a test class: before its tests, runs {@code script} (which saves an
 * {@code .npz} to {@code sys.argv[1]}) in a temporary directory and loads the arrays by name into a fresh
 * manager; after them, closes the manager and deletes the directory.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final OracleArrays d = new OracleArrays(SCRIPT);
 * ... d.get("boxes"), d.manager() ...
 * }</pre>
 */
public final class OracleArrays implements BeforeAllCallback, AfterAllCallback {
    private final String script;
    private final String[] args;
    private NDManager manager;
    private Map<String, NDArray> arrays;
    private Path dir;

    /** {@code args} follow the npz path on the script's command line. */
    public OracleArrays(String script, String... args) {
        this.script = script;
        this.args = args.clone();
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("resdet-oracle");
        manager = NDManager.newBaseManager();
        arrays = run(manager, dir, script, args);
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        try {
            if (manager != null) manager.close();
        } finally {
            manager = null;
            arrays = null;
            if (dir != null) deleteTree(dir);
            dir = null;
        }
    }

    /** The array the script saved under {@code name}, or null. */
    public NDArray get(String name) {
        return arrays().get(name);
    }

    /** All arrays by name, in the order the script saved them. */
    public Map<String, NDArray> arrays() {
        if (arrays == null) throw new IllegalStateException("oracle arrays are only there while the test class runs");
        return arrays;
    }

    /** The manager that holds the arrays; open while the test class runs. */
    public NDManager manager() {
        if (manager == null) throw new IllegalStateException("the oracle manager is only open while the test class runs");
        return manager;
    }

    /** Runs {@code script} with an npz path in {@code dir} as its first argument and loads the arrays it saved. */
    public static Map<String, NDArray> run(NDManager manager, Path dir, String script, String... args) {
        Path npz = dir.resolve("oracle-" + System.nanoTime() + ".npz");
        String[] all = new String[args.length + 1];
        all[0] = npz.toString();
        System.arraycopy(args, 0, all, 1, args.length);
        Oracle.run(script, all);
        return Arrays2.readNpz(manager, npz);
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) return;
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
