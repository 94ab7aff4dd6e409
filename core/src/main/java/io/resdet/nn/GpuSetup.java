package io.resdet.nn;

import ai.djl.util.Utils;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Locale;

/**
 * Which libtorch DJL's PyTorch engine loads, decided before it starts. Three ways, first match wins:
 * <ol>
 *   <li>{@code PYTORCH_LIBRARY_PATH} (environment or system property): DJL's own override, a folder holding
 *   {@code libtorch.so} 2.7.1. resdet only fills in {@code PYTORCH_FLAVOR} when it is unset ({@code cu128} for a
 *   CUDA build, else {@code cpu}): DJL would otherwise guess a flavour such as {@code cpu-precxx11} for which its
 *   jar has no JNI, and fail obscurely.</li>
 *   <li>{@code RESDET_GPU=cu128} (or {@code -Dresdet.gpu=cu128}): the CUDA 12.8 libtorch 2.7.1 that DJL publishes,
 *   in DJL's cache ({@code $DJL_CACHE_DIR/pytorch/2.7.1-cu128-linux-x86_64}). When it is there, resdet points
 *   {@code PYTORCH_LIBRARY_PATH} at it and nothing touches the network. When it is not, {@link #fetch()} lets
 *   DJL download it once by its own mechanism ({@code PYTORCH_FLAVOR=cu128} and no bundled native on the
 *   class path: the CPU jar's {@code native/lib/pytorch.properties} is hidden for that one engine start).
 *   {@code cu128} is the only CUDA flavour whose JNI ({@code jnilib/linux-x86_64/cu128}) ships in
 *   {@code pytorch-jni} 2.7.1-0.36.0, so it is the only one accepted.</li>
 *   <li>Otherwise the CPU libtorch of the {@code pytorch-native-cpu} Maven jar, extracted to DJL's cache.</li>
 * </ol>
 * {@link #configure()} only sets system properties (cheap, no native code); the engine starts later, in
 * {@link Engines#pytorch()} or wherever DJL is first used.
 */
public final class GpuSetup {
    /** The libtorch version DJL 0.36's JNI is built against. */
    public static final String LIBTORCH_VERSION = "2.7.1";
    /** The one CUDA flavour {@code pytorch-jni} 2.7.1-0.36.0 carries a Linux JNI for. */
    public static final String CUDA_FLAVOR = "cu128";
    /** Where DJL downloads its natives from (see {@code ai.djl.pytorch.jni.LibUtils}). */
    public static final String PUBLISH_URL = "https://publish.djl.ai/pytorch/" + LIBTORCH_VERSION + "/";
    static final String NATIVE_PROPERTIES = "native/lib/pytorch.properties";

    /**
     * What was decided: {@code source} says why (for {@code resdet doctor}), {@code dir} the libtorch folder
     * when it is not the bundled one, {@code flavor} DJL's flavour, {@code problem} a one-line reason the choice
     * cannot work (null when fine), {@code needsFetch} whether {@link #fetch()} must download before the engine
     * can start.
     */
    public record Choice(String source, Path dir, String flavor, String problem, boolean needsFetch) {
        public boolean cuda() {
            return flavor != null && flavor.startsWith("cu");
        }
    }

    private static volatile Choice choice;

    private GpuSetup() {}

    /** Decides once per JVM and sets {@code PYTORCH_LIBRARY_PATH}/{@code PYTORCH_FLAVOR} properties as needed. */
    public static synchronized Choice configure() {
        if (choice == null) choice = decide();
        return choice;
    }

    private static Choice decide() {
        String lib = Utils.getEnvOrSystemProperty("PYTORCH_LIBRARY_PATH");
        if (lib != null && !lib.isBlank()) {
            Path dir = libtorchDir(lib);
            if (dir == null) {
                return new Choice("PYTORCH_LIBRARY_PATH", Path.of(lib), null, "PYTORCH_LIBRARY_PATH=" + lib
                        + ": no libtorch.so there (give the lib folder of a libtorch " + LIBTORCH_VERSION + ")", false);
            }
            String flavor = Utils.getEnvOrSystemProperty("PYTORCH_FLAVOR");
            if (flavor == null || flavor.isBlank()) {
                flavor = isCudaBuild(dir) ? CUDA_FLAVOR : "cpu";
                System.setProperty("PYTORCH_FLAVOR", flavor);
            }
            return new Choice("PYTORCH_LIBRARY_PATH", dir, flavor, null, false);
        }
        String gpu = Utils.getEnvOrSystemProperty("RESDET_GPU", System.getProperty("resdet.gpu"));
        if (gpu == null || gpu.isBlank() || gpu.matches("(?i)cpu|off|no|false|0")) {
            return new Choice("bundled", null, "cpu", null, false);
        }
        String wanted = gpu.trim().toLowerCase(Locale.ROOT);
        if (!wanted.equals(CUDA_FLAVOR)) {
            return new Choice("RESDET_GPU", null, null, "RESDET_GPU=" + gpu + ": DJL 0.36 carries a CUDA JNI for "
                    + CUDA_FLAVOR + " only; use RESDET_GPU=" + CUDA_FLAVOR + ", or PYTORCH_LIBRARY_PATH for another libtorch "
                    + LIBTORCH_VERSION, false);
        }
        if (!classifier().equals("linux-x86_64")) {
            return new Choice("RESDET_GPU", null, null, "RESDET_GPU=" + gpu + ": DJL publishes the CUDA libtorch for linux-x86_64, this is "
                    + classifier(), false);
        }
        Path dir = cudaCacheDir();
        System.setProperty("PYTORCH_FLAVOR", CUDA_FLAVOR);
        if (Files.isRegularFile(dir.resolve(libName()))) {
            System.setProperty("PYTORCH_LIBRARY_PATH", dir.toString());
            return new Choice("RESDET_GPU=" + CUDA_FLAVOR + " (DJL cache)", dir, CUDA_FLAVOR, null, false);
        }
        if (Utils.getenv("DJL_OFFLINE", "").equalsIgnoreCase("true") || Boolean.getBoolean("resdet.gpu.nofetch")) {
            return new Choice("RESDET_GPU=" + CUDA_FLAVOR, dir, CUDA_FLAVOR, "RESDET_GPU=" + CUDA_FLAVOR
                    + ": the CUDA 12.8 libtorch " + LIBTORCH_VERSION + " is not in " + dir + " and DJL_OFFLINE=true forbids fetching it;"
                    + " run once without DJL_OFFLINE (DJL downloads it from " + PUBLISH_URL + "), or set PYTORCH_LIBRARY_PATH to a CUDA libtorch "
                    + LIBTORCH_VERSION, false);
        }
        return new Choice("RESDET_GPU=" + CUDA_FLAVOR + " (fetch into the DJL cache)", dir, CUDA_FLAVOR, null, true);
    }

    /**
     * Starts the engine while DJL may download: the CUDA libtorch lands in {@link #cudaCacheDir()} and the
     * engine is loaded from it. A no-op unless {@link #configure()} asked for a fetch. Prints one line to stderr
     * first, since the download is large.
     *
     * @throws IllegalStateException one line naming the URL, the folder and the way around it
     */
    static void fetch(Runnable startEngine) {
        Choice c = configure();
        if (!c.needsFetch()) {
            startEngine.run();
            return;
        }
        System.err.println("resdet: RESDET_GPU=" + CUDA_FLAVOR + ": fetching the CUDA 12.8 libtorch " + LIBTORCH_VERSION
                + " (about 2.5 GB) from " + PUBLISH_URL + " into " + c.dir() + ", once; later runs use it offline");
        // DJL's Engine class sends telemetry from its static initialiser unless offline: initialise it while
        // still offline, and opt out for good measure; only the native download may use the network.
        ai.djl.engine.Engine.hasEngine("PyTorch");
        if (Utils.getEnvOrSystemProperty("OPT_OUT_TRACKING") == null) System.setProperty("OPT_OUT_TRACKING", "true");
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        String offline = System.getProperty("ai.djl.offline");
        t.setContextClassLoader(new HidingLoader(before != null ? before : GpuSetup.class.getClassLoader()));
        System.setProperty("ai.djl.offline", "false");
        try {
            startEngine.run();
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            throw new IllegalStateException("RESDET_GPU=" + CUDA_FLAVOR + ": could not fetch or load the CUDA 12.8 libtorch "
                    + LIBTORCH_VERSION + " from " + PUBLISH_URL + " into " + c.dir() + " (" + Engines.rootMessage(e)
                    + "); copy it there by hand or set PYTORCH_LIBRARY_PATH to a CUDA libtorch " + LIBTORCH_VERSION, e);
        } finally {
            if (offline == null) System.clearProperty("ai.djl.offline");
            else System.setProperty("ai.djl.offline", offline);
            t.setContextClassLoader(before);
        }
        if (Files.isRegularFile(c.dir().resolve(libName()))) {
            choice = new Choice("RESDET_GPU=" + CUDA_FLAVOR + " (fetched into the DJL cache)", c.dir(), CUDA_FLAVOR, null, false);
        }
    }

    /** {@code $DJL_CACHE_DIR/pytorch/2.7.1-cu128-linux-x86_64}: where DJL keeps the CUDA natives it downloads. */
    public static Path cudaCacheDir() {
        return Utils.getEngineCacheDir("pytorch").resolve(LIBTORCH_VERSION + "-" + CUDA_FLAVOR + "-" + classifier());
    }

    /** Whether a libtorch folder is a CUDA build (it then holds {@code libtorch_cuda.so}). */
    public static boolean isCudaBuild(Path dir) {
        return dir != null && Files.isRegularFile(dir.resolve(System.mapLibraryName("torch_cuda")));
    }

    /** DJL's platform classifier ({@code linux-x86_64}), computed as DJL does but without probing CUDA. */
    static String classifier() {
        String os = System.getProperty("os.name");
        String prefix = os.startsWith("Win") ? "win" : os.startsWith("Mac") ? "osx" : os.startsWith("Linux") ? "linux" : os;
        String arch = System.getProperty("os.arch");
        return prefix + "-" + ("amd64".equals(arch) ? "x86_64" : arch);
    }

    private static String libName() {
        return System.mapLibraryName("torch");
    }

    /** DJL's rule: the folder (or the libtorch file itself) among the path-separated entries. */
    private static Path libtorchDir(String paths) {
        for (String p : paths.split(java.io.File.pathSeparator)) {
            if (p.isBlank()) continue;
            Path path = Path.of(p);
            if (Files.isRegularFile(path) && path.getFileName().toString().equals(libName())) return path.getParent().toAbsolutePath();
            if (Files.isRegularFile(path.resolve(libName()))) return path.toAbsolutePath();
        }
        return null;
    }

    /**
     * Hides the CPU native jar's {@code native/lib/pytorch.properties} from DJL's platform detection, so that DJL
     * takes its "download the requested flavour" path instead of extracting the bundled CPU libtorch.
     */
    static final class HidingLoader extends ClassLoader {
        HidingLoader(ClassLoader parent) {
            super(parent);
        }

        @Override
        public URL getResource(String name) {
            return NATIVE_PROPERTIES.equals(name) ? null : super.getResource(name);
        }

        @Override
        public Enumeration<URL> getResources(String name) throws IOException {
            return NATIVE_PROPERTIES.equals(name) ? Collections.emptyEnumeration() : super.getResources(name);
        }
    }
}
