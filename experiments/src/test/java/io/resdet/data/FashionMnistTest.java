package io.resdet.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.resdet.backbone.DatasetLabels;
import io.resdet.testing.Oracle;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fashion-MNIST from Debian's {@code dataset-fashion-mnist} (bin/test installs it), checked against Python's own gzip
 * reading of the same files; and every kind of broken IDX file, each a one-line error naming the file and offset.
 */
class FashionMnistTest {
    private static final String READER = """
            import gzip, json, sys
            d = sys.argv[1]
            out = {}
            for split, n in (("train", 60000), ("t10k", 10000)):
                im = gzip.open(f"{d}/{split}-images-idx3-ubyte.gz").read()
                lb = gzip.open(f"{d}/{split}-labels-idx1-ubyte.gz").read()
                out[split] = {"first": im[16:16 + 784].hex(), "last": im[16 + (n - 1) * 784:16 + n * 784].hex(),
                              "labels_head": list(lb[8:28]), "counts": [lb[8:].count(bytes([c])) for c in range(10)],
                              "pixel_sum": sum(im[16:])}
            print(json.dumps(out))
            """;

    static JsonNode expected;
    static ImageSet train, test;

    @BeforeAll
    static void load() throws IOException {
        Path dir = FashionMnist.DEFAULT_DIR;
        assertTrue(Files.isDirectory(dir), dir + " missing: bin/test installs Debian's dataset-fashion-mnist");
        expected = new ObjectMapper().readTree(Oracle.run(READER, dir.toString()));
        train = FashionMnist.load(dir, true);
        test = FashionMnist.load(dir, false);
    }

    @Test
    void sixtyThousandAndTenThousandGreyImagesPaddedTo32() {
        assertEquals(60_000, train.size());
        assertEquals(10_000, test.size());
        for (ImageSet s : new ImageSet[] {train, test}) {
            assertEquals(1, s.channels());
            assertEquals(32, s.height());
            assertEquals(32, s.width());
            assertEquals(DatasetLabels.FASHION_MNIST, s.classes());
        }
    }

    @Test
    void pixelsAndLabelsAreTheFilesOwnCentredInAZeroFrame() {
        check(train, expected.get("train"));
        check(test, expected.get("t10k"));
    }

    private static void check(ImageSet s, JsonNode want) {
        assertArrayEquals(HexFormat.of().parseHex(want.get("first").asText()), crop(s, 0));
        assertArrayEquals(HexFormat.of().parseHex(want.get("last").asText()), crop(s, s.size() - 1));
        for (int i = 0; i < 20; i++) assertEquals(want.get("labels_head").get(i).asInt(), s.labels()[i], "label " + i);
        int[] counts = new int[10];
        for (int l : s.labels()) counts[l]++;
        for (int c = 0; c < 10; c++) assertEquals(want.get("counts").get(c).asInt(), counts[c], "class " + c);
        long sum = 0, frame = 0;
        for (int i = 0; i < s.size(); i++) {
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 32; x++) {
                    int v = s.pixels()[i * 1024 + y * 32 + x] & 0xFF;
                    sum += v;
                    if (y < 2 || y >= 30 || x < 2 || x >= 30) frame += v;
                }
            }
        }
        assertEquals(want.get("pixel_sum").asLong(), sum);
        assertEquals(0, frame, "the 2-pixel frame is zero");
    }

    private static byte[] crop(ImageSet s, int i) {
        byte[] out = new byte[784];
        for (int y = 0; y < 28; y++) System.arraycopy(s.pixels(), i * 1024 + (y + 2) * 32 + 2, out, y * 28, 28);
        return out;
    }

    @Test
    void dataSpecNamesTheDefaultFolderAndAnother() {
        assertEquals(FashionMnist.DEFAULT_DIR, DataSpec.parse("fashion-mnist").dir());
        assertEquals(Path.of("/data/fm"), DataSpec.parse("fashion-mnist:/data/fm").dir());
    }

    // ---- broken files, written here ----

    private static byte[] idx(int rank, int[] dims, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * rank + data.length);
        b.put((byte) 0).put((byte) 0).put((byte) 8).put((byte) rank);
        for (int d : dims) b.putInt(d);
        b.put(data);
        return b.array();
    }

    private static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(out)) {
            g.write(raw);
        }
        return out.toByteArray();
    }

    /** A valid 3-image set, images {@code k·i + y}, labels 0, 1, 2; plain (not gzipped) files are accepted too. */
    private static void writeSet(Path dir, boolean gz) throws IOException {
        byte[] px = new byte[3 * 784];
        for (int i = 0; i < px.length; i++) px[i] = (byte) (i * 31 + 7);
        byte[] images = idx(3, new int[] {3, 28, 28}, px), labels = idx(1, new int[] {3}, new byte[] {0, 1, 2});
        Files.write(dir.resolve("t10k-images-idx3-ubyte" + (gz ? ".gz" : "")), gz ? gzip(images) : images);
        Files.write(dir.resolve("t10k-labels-idx1-ubyte" + (gz ? ".gz" : "")), gz ? gzip(labels) : labels);
    }

    @Test
    void plainAndGzippedSmallSetsRead(@TempDir Path dir) throws IOException {
        Path a = Files.createDirectories(dir.resolve("a")), b = Files.createDirectories(dir.resolve("b"));
        writeSet(a, true);
        writeSet(b, false);
        ImageSet x = FashionMnist.load(a, false), y = FashionMnist.load(b, false);
        assertArrayEquals(x.pixels(), y.pixels());
        assertArrayEquals(new int[] {0, 1, 2}, x.labels());
        assertEquals((byte) (784 * 31 + 7), x.pixels()[1024 + 2 * 32 + 2], "image 1's first pixel sits at (2, 2)");
    }

    private static void assertError(Path dir, String file, byte[] content, String part) throws IOException {
        String m = error(dir, file, content);
        assertTrue(m.contains(part), m);
    }

    private static String error(Path dir, String file, byte[] content) throws IOException {
        writeSet(dir, true);
        Files.write(dir.resolve(file), content);
        IOException e = assertThrows(IOException.class, () -> FashionMnist.load(dir, false));
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        assertTrue(e.getMessage().startsWith(dir.resolve(file).toString() + ": "), e.getMessage());
        return e.getMessage();
    }

    @Test
    void truncatedGzipNamesTheFileAndOffset(@TempDir Path dir) throws IOException {
        writeSet(dir, true);
        byte[] whole = Files.readAllBytes(dir.resolve("t10k-images-idx3-ubyte.gz"));
        String m = error(dir, "t10k-images-idx3-ubyte.gz", Arrays.copyOf(whole, whole.length / 2));
        assertTrue(m.contains("offset") && m.contains("decompressed"), m);
    }

    @Test
    void corruptGzipAndTruncatedPlainFilesNameTheOffset(@TempDir Path dir) throws IOException {
        writeSet(dir, true);
        byte[] whole = Files.readAllBytes(dir.resolve("t10k-images-idx3-ubyte.gz"));
        byte[] flipped = whole.clone();
        flipped[whole.length - 6] ^= 0x5A; // inside the checksum trailer: the data inflate fine, the check fails
        assertError(dir, "t10k-images-idx3-ubyte.gz", flipped, "compressed stream broken at offset");
        Path plain = Files.createDirectories(dir.resolve("plain"));
        writeSet(plain, false);
        Files.write(plain.resolve("t10k-labels-idx1-ubyte"), Arrays.copyOf(idx(1, new int[] {3}, new byte[] {0, 1, 2}), 6));
        IOException e = assertThrows(IOException.class, () -> FashionMnist.load(plain, false));
        assertEquals(plain.resolve("t10k-labels-idx1-ubyte") + ": truncated at offset 6: 2 bytes short of dimension 0", e.getMessage());
    }

    @Test
    void truncatedDataSaysHowShort(@TempDir Path dir) throws IOException {
        byte[] short_ = idx(3, new int[] {3, 28, 28}, new byte[2 * 784 + 5]);
        String m = error(dir, "t10k-images-idx3-ubyte.gz", gzip(short_));
        assertTrue(m.contains("truncated at offset " + (16 + 2 * 784 + 5) + " of the decompressed data: 779 bytes short"), m);
    }

    @Test
    void badMagicTypeRankAndSizesAreNamed(@TempDir Path dir) throws IOException {
        byte[] good = idx(3, new int[] {3, 28, 28}, new byte[3 * 784]);
        byte[] magic = good.clone();
        magic[0] = 0x50;
        assertError(dir, "t10k-images-idx3-ubyte.gz", gzip(magic), "not an IDX file: bytes 50 00 08 03 at offset 0");
        byte[] type = good.clone();
        type[2] = 0x0D;
        assertError(dir, "t10k-images-idx3-ubyte.gz", gzip(type), "data type 0x0d at offset 2");
        assertError(dir, "t10k-labels-idx1-ubyte.gz", gzip(idx(2, new int[] {3, 1}, new byte[3])), "2 dimensions at offset 3 of the decompressed data, expected 1");
        assertError(dir, "t10k-images-idx3-ubyte.gz", gzip(idx(3, new int[] {3, 0, 28}, new byte[0])), "dimension 1 is 0 at offset 8 of the decompressed data");
        assertError(dir, "t10k-images-idx3-ubyte.gz", gzip(idx(3, new int[] {3, 27, 28}, new byte[3 * 27 * 28])), "are 27×28");
        assertError(dir, "t10k-images-idx3-ubyte.gz", gzip(idx(3, new int[] {65536, 65536, 28}, new byte[0])), "more than 2 GB");
    }

    @Test
    void labelProblemsAreNamed(@TempDir Path dir) throws IOException {
        assertError(dir, "t10k-labels-idx1-ubyte.gz", gzip(idx(1, new int[] {3}, new byte[] {0, 12, 2})), "label 12 at offset 9 of the decompressed data (image 1) is outside 0..9");
        assertError(dir, "t10k-labels-idx1-ubyte.gz", gzip(idx(1, new int[] {2}, new byte[] {0, 1})), "2 labels (count at offset 4 of the decompressed data) for the 3 images");
        assertError(dir, "t10k-labels-idx1-ubyte.gz", gzip(idx(1, new int[] {3}, new byte[] {0, 1, 2, 3})), "unexpected bytes after the data at offset 11 of the decompressed data");
    }

    @Test
    void missingFilesAndFoldersAreNamed(@TempDir Path dir) throws IOException {
        IOException e = assertThrows(IOException.class, () -> FashionMnist.load(dir.resolve("nope"), true));
        assertTrue(e.getMessage().contains("nope: no such folder"), e.getMessage());
        e = assertThrows(IOException.class, () -> FashionMnist.load(dir, true));
        assertTrue(e.getMessage().contains("no train-images-idx3-ubyte.gz or train-images-idx3-ubyte"), e.getMessage());
    }
}
