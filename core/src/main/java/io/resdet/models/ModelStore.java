package io.resdet.models;

import io.resdet.util.Progress;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;

/**
 * Where weights files come from: a local file; the cache ({@code $RESDET_HOME/models}, default
 * {@code ~/.cache/resdet/models}); or a download from the published URL, into {@code FILE.part} (resumed with an HTTP
 * Range request after an interruption), checked against the SHA-256 prefix in its file name (torchvision's
 * {@code check_hash} convention) and renamed into the cache only when it matches. A cached file is used as it is, as
 * torchvision's hub does. {@code RESDET_MODEL_MIRROR=http://host:port/path/} replaces torchvision's host prefix, for
 * air-gapped sites. Failures are one line naming the URL and the cache path where the file can be dropped by hand.
 */
public final class ModelStore {
    /** Tries per fetch: a cut transfer is resumed this many times before the error is reported. */
    static final int ATTEMPTS = 4;

    private final Path cache;
    private final String mirror;
    private final boolean progress;
    private final HttpClient http;

    public ModelStore(Path cache, String mirror, boolean progress) {
        this.cache = cache;
        this.mirror = mirror == null || mirror.isBlank() ? null : (mirror.endsWith("/") ? mirror : mirror + "/");
        this.progress = progress;
        this.http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(Duration.ofSeconds(15)).build();
    }

    /**
     * The process environment, with {@code -DRESDET_HOME=...} style system properties taking precedence for the
     * model settings (tests and launchers that cannot change the environment).
     */
    public static Map<String, String> environment() {
        Map<String, String> env = new java.util.HashMap<>(System.getenv());
        for (String k : new String[] {"RESDET_HOME", "RESDET_MODEL_MIRROR", "RESDET_MODEL_REGISTRY"}) {
            String v = System.getProperty(k);
            if (v != null) env.put(k, v);
        }
        return env;
    }

    /** The store the environment describes ({@code RESDET_HOME}, {@code RESDET_MODEL_MIRROR}). */
    public static ModelStore fromEnvironment(Map<String, String> env) {
        String home = env.get("RESDET_HOME");
        Path root = home != null && !home.isBlank() ? Path.of(home) : Path.of(System.getProperty("user.home"), ".cache", "resdet");
        return new ModelStore(root.resolve("models"), env.get("RESDET_MODEL_MIRROR"), true);
    }

    public Path cacheDir() {
        return cache;
    }

    /** Where the file of this name lives once fetched. */
    public Path cachePath(String fileName) {
        return cache.resolve(fileName);
    }

    public boolean isCached(ModelEntry e) {
        return e.url() == null || Files.isRegularFile(cachePath(e.fileName()));
    }

    /** The URL actually used: the mirror in place of torchvision's host prefix, when set. */
    public String effectiveUrl(String url) {
        if (mirror != null && url.startsWith(ModelRegistry.TV)) return mirror + url.substring(ModelRegistry.TV.length());
        return url;
    }

    /** The entry's weights as a local file: cached, else downloaded now. Bundled entries have no file (null). */
    public Path file(ModelEntry e) throws IOException {
        if (e.url() == null) return null;
        return fetch(e.url());
    }

    /** The file at {@code url} (http or https), from the cache or downloaded into it. */
    public Path fetch(String url) throws IOException {
        String name = url.substring(url.lastIndexOf('/') + 1);
        int q = name.indexOf('?');
        if (q >= 0) name = name.substring(0, q);
        if (name.isEmpty() || name.equals(".") || name.equals("..")) throw new IOException(url + ": the URL names no file");
        Path target = cachePath(name);
        if (Files.isRegularFile(target)) return target;
        Files.createDirectories(cache);
        Path part = cachePath(name + ".part");
        String from = effectiveUrl(url);
        for (int attempt = 1; ; attempt++) {
            try {
                download(from, part, target);
                break;
            } catch (Cut e) {
                if (attempt == ATTEMPTS) throw e;
                if (progress) System.err.println("resdet: " + e.getMessage() + "; resuming");
                sleep(500L * attempt);
            }
        }
        String prefix = ModelEntry.hashPrefix(name);
        if (prefix != null) {
            String digest = sha256(part);
            if (!digest.startsWith(prefix)) {
                Files.deleteIfExists(part);
                throw new IOException(from + ": SHA-256 " + digest + " does not start with " + prefix
                        + " (the hash in its file name); the download was deleted");
            }
        } else if (progress) {
            System.err.println("resdet: " + name + " has no hash in its name (name-<sha256 prefix>.ext); not verified");
        }
        try {
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }

    /** GET into {@code part}, resuming from its length with a Range request. */
    private void download(String url, Path part, Path target) throws IOException {
        long have = Files.isRegularFile(part) ? Files.size(part) : 0;
        HttpRequest.Builder rq = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(30)).GET();
        if (have > 0) rq.header("Range", "bytes=" + have + "-");
        HttpResponse<InputStream> rs;
        try {
            rs = http.send(rq.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new IOException(url + ": cannot download (" + reason(e) + "); offline, put the file at " + target);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(url + ": download interrupted");
        }
        int code = rs.statusCode();
        boolean append;
        if (code == 206 && have > 0) {
            append = true;
        } else if (code == 416 && have > 0) {
            rs.body().close();
            return; // the part file is already whole: the hash check decides
        } else if (code == 200) {
            append = false; // a server that ignores Range sends everything again
            have = 0;
        } else {
            rs.body().close();
            throw new IOException(url + ": HTTP " + code + "; offline, put the file at " + target);
        }
        long total = rs.headers().firstValueAsLong("Content-Length").orElse(-1);
        if (total >= 0) total += have;
        try (InputStream in = rs.body();
             OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                     append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
             Progress bar = progress ? new Progress("download " + target.getFileName(), Math.max(0, total / 1_000_000), "MB")
                     .resumeFrom(have / 1_000_000) : null) {
            byte[] buf = new byte[1 << 16];
            long done = have;
            for (int n; (n = in.read(buf)) >= 0; ) {
                out.write(buf, 0, n);
                done += n;
                if (bar != null) bar.update(done / 1_000_000);
            }
            if (total >= 0 && done != total) throw new IOException("connection closed at " + done + " of " + total + " bytes");
        } catch (IOException e) {
            // What arrived stays in the .part file: the next attempt asks for the rest.
            throw new Cut(url + ": download cut at " + Files.size(part) + " bytes (" + reason(e) + ")");
        }
    }

    /** A transfer that stopped part-way; what arrived is kept for a Range request. */
    private static final class Cut extends IOException {
        Cut(String message) {
            super(message);
        }
    }

    private static void sleep(long ms) throws IOException {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("download interrupted");
        }
    }

    static String sha256(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) >= 0; ) md.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static String reason(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.replace('\n', ' ');
    }
}
