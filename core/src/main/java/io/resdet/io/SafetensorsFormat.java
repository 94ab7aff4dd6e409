package io.resdet.io;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * safetensors: an 8-byte little-endian header length, a JSON header mapping names to
 * {@code {dtype, shape, data_offsets}} (offsets relative to the end of the header), then the data.
 */
final class SafetensorsFormat {
    static final String METADATA = "__metadata__";
    /** The reference implementation refuses larger headers; so does this one, before allocating. */
    private static final long MAX_HEADER = 100L << 20;
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private SafetensorsFormat() {}

    static StateDict read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file)) {
            ObjectNode header = header(file, ch);
            long dataStart = 8 + headerLength(file, ch);
            long dataSize = ch.size() - dataStart;
            StateDict sd = new StateDict();
            for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals(METADATA)) continue;
                sd.put(e.getKey(), tensor(file, ch, e.getKey(), e.getValue(), dataStart, dataSize));
            }
            return sd;
        }
    }

    static Map<String, String> metadata(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file)) {
            Map<String, String> out = new LinkedHashMap<>();
            JsonNode meta = header(file, ch).get(METADATA);
            if (meta == null || meta.isNull()) return out;
            if (!meta.isObject()) throw new CheckpointException(file, "malformed safetensors header: __metadata__ is not an object");
            for (Iterator<Map.Entry<String, JsonNode>> it = meta.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isTextual()) {
                    throw new CheckpointException(file, "malformed safetensors header: __metadata__ value '"
                            + e.getKey() + "' is not a string");
                }
                out.put(e.getKey(), e.getValue().asText());
            }
            return out;
        }
    }

    private static long headerLength(Path file, FileChannel ch) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(file, ch, b, 0);
        long n = b.getLong(0);
        if (n < 0 || n > ch.size() - 8) {
            throw new CheckpointException(file, "safetensors header length " + Long.toUnsignedString(n)
                    + " exceeds the file size " + ch.size());
        }
        if (n > MAX_HEADER) throw new CheckpointException(file, "safetensors header of " + n + " bytes exceeds 100 MiB");
        return n;
    }

    private static ObjectNode header(Path file, FileChannel ch) throws IOException {
        if (ch.size() < 8) throw new CheckpointException(file, "truncated safetensors file (" + ch.size() + " bytes)");
        long n = headerLength(file, ch);
        ByteBuffer b = ByteBuffer.allocate((int) n);
        readFully(file, ch, b, 8);
        JsonNode node;
        try {
            node = JSON.readTree(b.array());
        } catch (JacksonException e) {
            throw new CheckpointException(file, "malformed safetensors header JSON: " + e.getOriginalMessage(), e);
        }
        if (node == null || !node.isObject()) throw new CheckpointException(file, "malformed safetensors header: not a JSON object");
        return (ObjectNode) node;
    }

    private static TensorData tensor(Path file, FileChannel ch, String name, JsonNode info, long dataStart, long dataSize)
            throws IOException {
        String where = "malformed safetensors header: tensor '" + name + "' ";
        if (!info.isObject() || !info.path("dtype").isTextual() || !info.path("shape").isArray()
                || !info.path("data_offsets").isArray() || info.path("data_offsets").size() != 2) {
            throw new CheckpointException(file, where + "needs dtype, shape and data_offsets [begin, end]");
        }
        DType dtype = DType.fromSafetensors(info.get("dtype").asText()).orElseThrow(() ->
                new CheckpointException(file, "unsupported dtype " + info.get("dtype").asText() + " of tensor '" + name + "'"));
        JsonNode shapeNode = info.get("shape");
        long[] shape = new long[shapeNode.size()];
        long numel = 1;
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = shapeNode.get(i);
            if (!d.canConvertToLong() || !d.isIntegralNumber() || d.asLong() < 0) {
                throw new CheckpointException(file, where + "has a bad shape " + shapeNode);
            }
            shape[i] = d.asLong();
            numel = numel == 0 || shape[i] == 0 ? 0 : multiply(file, where, numel, shape[i]);
        }
        JsonNode offsets = info.get("data_offsets");
        if (!offsets.get(0).isIntegralNumber() || !offsets.get(1).isIntegralNumber()
                || !offsets.get(0).canConvertToLong() || !offsets.get(1).canConvertToLong()) {
            throw new CheckpointException(file, where + "has bad data_offsets " + offsets);
        }
        long begin = offsets.get(0).asLong();
        long end = offsets.get(1).asLong();
        if (begin < 0 || end < begin || end > dataSize) {
            throw new CheckpointException(file, where + "has data_offsets " + offsets + " outside the "
                    + dataSize + " data bytes of the file");
        }
        if (multiply(file, where, numel, dtype.byteSize()) != end - begin) {
            throw new CheckpointException(file, where + "has shape " + shapeNode + " of " + dtype + " but "
                    + (end - begin) + " data bytes");
        }
        if (end - begin > Integer.MAX_VALUE - 8) {
            throw new CheckpointException(file, "tensor '" + name + "' holds " + (end - begin)
                    + " bytes; tensors over 2 GiB are not supported");
        }
        ByteBuffer b = ByteBuffer.allocate((int) (end - begin));
        readFully(file, ch, b, dataStart + begin);
        b.flip();
        return TensorData.of(dtype, shape, b);
    }

    static void write(StateDict sd, Path file, Map<String, String> metadata) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        if (metadata != null && !metadata.isEmpty()) {
            ObjectNode meta = header.putObject(METADATA);
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (Map.Entry<String, TensorData> e : sd.asMap().entrySet()) {
            if (e.getKey().equals(METADATA)) throw new CheckpointException(file, "tensor name " + METADATA + " is reserved");
            TensorData t = e.getValue();
            ObjectNode info = header.putObject(e.getKey());
            info.put("dtype", t.dtype().safetensorsName());
            ArrayNode shape = info.putArray("shape");
            for (long d : t.shape()) shape.add(d);
            info.putArray("data_offsets").add(offset).add(offset + t.byteSize());
            offset += t.byteSize();
        }
        byte[] json = JSON.writeValueAsBytes(header);
        // Pad with spaces (allowed by the spec) so the data starts 8-byte aligned, as the reference writer does.
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) head.put((byte) ' ');
        head.flip();
        Path parent = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                writeFully(ch, head);
                for (TensorData t : sd.asMap().values()) writeFully(ch, t.data());
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static long multiply(Path file, String where, long a, long b) throws CheckpointException {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            throw new CheckpointException(file, where + "is too large");
        }
    }

    private static void readFully(Path file, FileChannel ch, ByteBuffer b, long position) throws IOException {
        long pos = position;
        while (b.hasRemaining()) {
            int r = ch.read(b, pos);
            if (r < 0) throw new CheckpointException(file, "truncated file at byte " + pos);
            pos += r;
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) ch.write(b);
    }
}
