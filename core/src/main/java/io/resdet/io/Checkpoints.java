package io.resdet.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;

/**
 * Reads state dicts from PyTorch checkpoints (zip and legacy {@code torch.save} formats) and safetensors files,
 * and writes safetensors. The format is detected from the leading bytes, never the extension. Nothing in a
 * file is executed: pickles are interpreted by a small VM that only rebuilds containers and tensors.
 *
 * <p>Every failure is a {@link CheckpointException} whose one-line message starts with the file.
 */
public final class Checkpoints {
    private Checkpoints() {}

    /** The formats {@link #read} recognises. */
    public enum Format { TORCH_ZIP, TORCH_LEGACY, SAFETENSORS }

    /**
     * Reads the tensors of a checkpoint in file order. A top-level dict whose {@code state_dict} or {@code model}
     * entry is a dict of tensors is unwrapped to it; non-tensor entries ({@code epoch}, ...) are skipped; a
     * {@code module.} prefix on every key (DataParallel) is removed.
     */
    public static StateDict read(Path file) throws CheckpointException {
        try {
            return switch (detect(file)) {
                case TORCH_ZIP -> TorchZipFormat.read(file);
                case TORCH_LEGACY -> TorchLegacyFormat.read(file);
                case SAFETENSORS -> SafetensorsFormat.read(file);
            };
        } catch (CheckpointException e) {
            throw e;
        } catch (IOException e) {
            throw new CheckpointException(file, "cannot read: " + e, e);
        } catch (ArithmeticException | IllegalArgumentException e) {
            // Overflowing sizes that slipped past the format checks: still the file's fault, not the caller's.
            throw new CheckpointException(file, "malformed checkpoint: " + e.getMessage(), e);
        } catch (StackOverflowError e) {
            // Only a hostile pickle gets here (e.g. a list used as a dict key that contains itself).
            throw new CheckpointException(file, "malformed checkpoint: objects nested too deeply", e);
        }
    }

    /** The {@code __metadata__} string map of a safetensors file (empty when it has none). */
    public static Map<String, String> readSafetensorsMetadata(Path file) throws CheckpointException {
        if (detect(file) != Format.SAFETENSORS) throw new CheckpointException(file, "not a safetensors file");
        try {
            return SafetensorsFormat.metadata(file);
        } catch (CheckpointException e) {
            throw e;
        } catch (IOException e) {
            throw new CheckpointException(file, "cannot read: " + e, e);
        }
    }

    /**
     * Writes {@code sd} as safetensors in key order, replacing {@code file} atomically. Readable by the
     * {@code safetensors} Python/Rust library and by {@link #read}.
     *
     * @param metadata stored as {@code __metadata__}; may be empty or null
     */
    public static void writeSafetensors(StateDict sd, Path file, Map<String, String> metadata) throws CheckpointException {
        try {
            SafetensorsFormat.write(sd, file, metadata);
        } catch (CheckpointException e) {
            throw e;
        } catch (IOException e) {
            throw new CheckpointException(file, "cannot write: " + e, e);
        }
    }

    /** Identifies the format from the leading bytes. */
    public static Format detect(Path file) throws CheckpointException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(16);
        } catch (NoSuchFileException e) {
            throw new CheckpointException(file, "no such file", e);
        } catch (IOException e) {
            throw new CheckpointException(file, Files.isDirectory(file) ? "is a directory" : "cannot read: " + e, e);
        }
        if (head.length == 0) throw new CheckpointException(file, "empty file");
        if (head.length >= 4 && head[0] == 'P' && head[1] == 'K' && (head[2] == 3 || head[2] == 5) && head[3] == head[2] + 1) {
            return Format.TORCH_ZIP;
        }
        // safetensors: a little-endian u64 header length, then '{'. Checked before the pickle test because the
        // length's low byte may well be 0x80 (a 12,672-byte header, say).
        if (head.length >= 9 && head[8] == '{') return Format.SAFETENSORS;
        // Legacy torch.save starts with a pickle (PROTO) of its magic number; other pickles get told apart there.
        if ((head[0] & 0xff) == 0x80) return Format.TORCH_LEGACY;
        throw new CheckpointException(file, "not a checkpoint: leading bytes " + HexFormat.of().formatHex(head, 0, Math.min(8, head.length))
                + " are neither a PyTorch zip, a legacy PyTorch pickle nor safetensors");
    }
}
