package io.resdet.cli.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A long-lived python reference process driven line by line, so its timings interleave with ours. */
public final class PythonPeer implements AutoCloseable {
    private final Process process;
    private final PrintWriter in;
    private final BufferedReader out;

    public PythonPeer(String python, String scriptResource, int threads) throws IOException {
        Path script = Files.createTempFile("resdet-bench", ".py");
        try (InputStream s = PythonPeer.class.getResourceAsStream(scriptResource)) {
            Files.write(script, s.readAllBytes());
        }
        script.toFile().deleteOnExit();
        ProcessBuilder pb = new ProcessBuilder(python, script.toString()).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("OMP_NUM_THREADS", Integer.toString(threads));
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new IOException("cannot start the torchvision reference '" + python
                    + "' (install Debian's python3-torchvision, or pass --python): " + e.getMessage());
        }
        in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    public String ask(String line) throws IOException {
        in.println(line);
        String reply = out.readLine();
        if (reply == null) throw new IOException("the torchvision reference exited (see its error above)");
        return reply;
    }

    @Override
    public void close() {
        in.println("quit");
        in.close();
        process.destroy();
    }
}
