package io.resdet.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.resdet.testing.Oracle;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of bad input yields a one-line CheckpointException naming the file, never a crash or an OOM. */
class CheckpointErrorsTest {
    private static final String BAD_TORCH_FILES = """
            import os, pickle, shutil, sys, zipfile
            import torch
            d = sys.argv[1]
            p = lambda name: os.path.join(d, name)
            torch.manual_seed(0)
            sd = {"a": torch.randn(3, 4), "b": torch.randn(5)}
            torch.save(sd, p("good.pth"))
            blob = open(p("good.pth"), "rb").read()
            open(p("truncated.pth"), "wb").write(blob[: len(blob) // 2])
            def rewrite(src, dst, change):
                with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
                    for info in zin.infolist():
                        data = change(info.filename, zin.read(info.filename))
                        if data is not None:
                            zout.writestr(info, data)
            rewrite(p("good.pth"), p("missing_storage.pth"), lambda n, b: None if n == "good/data/1" else b)
            rewrite(p("good.pth"), p("short_storage.pth"), lambda n, b: b[:20] if n == "good/data/0" else b)
            rewrite(p("good.pth"), p("big_endian.pth"), lambda n, b: b)
            with zipfile.ZipFile(p("big_endian.pth"), "a") as z:
                z.writestr("good/byteorder", "big")
            torch.save([1, 2, 3], p("list.pth"))
            torch.save(7, p("int.pth"))
            torch.save({"epoch": 3, "lr": 0.1}, p("no_tensors.pth"))
            torch.save({"c": torch.zeros(2, dtype=torch.complex64)}, p("complex.pth"))
            torch.save({"c": torch.zeros(2, dtype=torch.complex64), "w": torch.ones(1)}, p("complex_legacy.pth"),
                       _use_new_zipfile_serialization=False)
            q = torch.quantize_per_tensor(torch.tensor([0.5, 1.0]), 0.1, 0, torch.quint8)
            torch.save({"q": q}, p("quantized.pth"))
            torch.save(sd, p("legacy.pth"), _use_new_zipfile_serialization=False)
            blob = open(p("legacy.pth"), "rb").read()
            open(p("legacy_truncated.pth"), "wb").write(blob[:-10])
            torch.save({"b": torch.randn(5)}, p("legacy_one.pth"), _use_new_zipfile_serialization=False)
            torch.save(torch.nn.Linear(2, 2), p("module.pth"))
            # A central directory claiming a 3 GB storage entry; the reader must refuse before allocating.
            import struct
            torch.save({"a": torch.ones(3)}, p("huge.pth"))
            b = bytearray(open(p("huge.pth"), "rb").read())
            i = b.find(b"PK\\x01\\x02")
            while i >= 0:
                n = struct.unpack_from("<H", b, i + 28)[0]
                if bytes(b[i + 46:i + 46 + n]) == b"huge/data/0":
                    struct.pack_into("<II", b, i + 20, 3000000000, 3000000000)
                i = b.find(b"PK\\x01\\x02", i + 4)
            open(p("huge.pth"), "wb").write(b)
            with open(p("plain.pkl"), "wb") as f:
                pickle.dump({"a": 1}, f, protocol=2)
            """;

    @TempDir
    static Path dir;

    @BeforeAll
    static void writeBadTorchFiles() {
        Oracle.run(BAD_TORCH_FILES, dir.toString());
    }

    @Test
    void missingFile() {
        assertFails(dir.resolve("absent.pth"), "no such file");
    }

    @Test
    void directory() {
        assertFails(dir, "is a directory");
    }

    @Test
    void emptyFile() throws IOException {
        assertFails(Files.write(dir.resolve("empty.pth"), new byte[0]), "empty file");
    }

    @Test
    void randomBytes() throws IOException {
        byte[] noise = new byte[4096];
        new Random(42).nextBytes(noise);
        assertFails(Files.write(dir.resolve("noise.bin"), noise), "not a checkpoint");
    }

    @Test
    void textFile() throws IOException {
        Path file = Files.writeString(dir.resolve("README.txt"), "hello world, these are not weights\n");
        assertFails(file, "not a checkpoint: leading bytes 68656c6c6f20776f");
    }

    @Test
    void truncatedZip() {
        assertFails(dir.resolve("truncated.pth"), "truncated or corrupt zip");
    }

    @Test
    void zipWithoutDataPkl() throws IOException {
        Path file = dir.resolve("other.zip");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            zip.putNextEntry(new ZipEntry("archive/notes.txt"));
            zip.write("hi".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        assertFails(file, "zip without data.pkl");
    }

    @Test
    void pickleOfAList() {
        assertFails(dir.resolve("list.pth"), "not a state dict: the checkpoint holds a list");
    }

    @Test
    void pickleOfAnInt() {
        assertFails(dir.resolve("int.pth"), "not a state dict: the checkpoint holds an int");
    }

    @Test
    void wholePickledModule() {
        assertFails(dir.resolve("module.pth"),
                "not a state dict: the checkpoint holds a torch.nn.modules.linear.Linear object, not a dict of tensors");
    }

    @Test
    void storageEntryOver2GiB() {
        assertFails(dir.resolve("huge.pth"), "zip entry huge/data/0 holds 3000000000 bytes; storages over 2 GiB are not supported");
    }

    @Test
    void dictWithoutTensors() {
        assertFails(dir.resolve("no_tensors.pth"), "no tensors among the top-level keys [epoch, lr]");
    }

    @Test
    void storageEntryMissing() {
        assertFails(dir.resolve("missing_storage.pth"), "truncated zip (expected entry good/data/1)");
    }

    @Test
    void storageTooSmallForTheView() {
        assertFails(dir.resolve("short_storage.pth"),
                "storage too small for tensor 'a': view of size [3, 4], stride [4, 1], offset 0 reaches element 11"
                        + " but storage '0' holds 5 elements");
    }

    @Test
    void bigEndianZip() {
        assertFails(dir.resolve("big_endian.pth"), "unsupported byte order 'big'");
    }

    @Test
    void unsupportedDtype() {
        assertFails(dir.resolve("complex.pth"), "unsupported dtype torch.ComplexFloatStorage of tensor 'c'");
    }

    @Test
    void unsupportedDtypeInLegacyFormat() {
        assertFails(dir.resolve("complex_legacy.pth"), "unsupported dtype torch.ComplexFloatStorage of tensor 'c'");
    }

    @Test
    void quantizedTensor() {
        assertFails(dir.resolve("quantized.pth"), "tensor 'q' is stored as torch._utils._rebuild_qtensor");
    }

    @Test
    void truncatedLegacyFile() {
        assertFails(dir.resolve("legacy_truncated.pth"), "truncated file: storage");
    }

    @Test
    void plainPickleIsNotATorchCheckpoint() {
        assertFails(dir.resolve("plain.pkl"), "not a torch checkpoint: a pickle without torch's magic number");
    }

    @Test
    void bogusStringLengthInPickleDoesNotAllocate() throws IOException {
        // PROTO 2, BINUNICODE claiming 2 GiB - 1 bytes, and nothing after it.
        byte[] pickle = {(byte) 0x80, 2, 'X', (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f, 'a'};
        assertFails(Files.write(dir.resolve("bogus.pkl"), pickle), "truncated data: needed 2147483647 bytes");
    }

    /**
     * t0 = (); t(i) = (t(i-1), t(i-1)) through the memo: 60 levels in a few hundred bytes, but 2^60 nodes to a
     * structural hashCode or toString. Leaves an EMPTY_DICT below t60 on the stack.
     */
    private static ByteArrayOutputStream tupleDag() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[] {(byte) 0x80, 2, '}', ')', 'q', 0, '0'}); // PROTO 2, EMPTY_DICT, EMPTY_TUPLE, BINPUT 0, POP
        for (int i = 1; i <= 60; i++) {
            // BINGET i-1, BINGET i-1, TUPLE2, BINPUT i, POP
            b.writeBytes(new byte[] {'h', (byte) (i - 1), 'h', (byte) (i - 1), (byte) 0x86, 'q', (byte) i, '0'});
        }
        b.writeBytes(new byte[] {'h', 60}); // BINGET 60
        return b;
    }

    @Test
    void tupleDagAsStackGlobalModuleFailsFast() throws IOException {
        ByteArrayOutputStream b = tupleDag();
        b.writeBytes(new byte[] {(byte) 0x8c, 1, 'x', (byte) 0x93, '.'}); // SHORT_BINUNICODE "x", STACK_GLOBAL, STOP
        Path file = Files.write(dir.resolve("dag_global.pkl"), b.toByteArray());
        assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertFails(file, "malformed pickle: STACK_GLOBAL of a tuple and a str, not two str at byte 492"));
    }

    @Test
    void tupleDagAsDictKeyFailsFastInsteadOfHashingForever() throws IOException {
        ByteArrayOutputStream b = tupleDag();
        b.writeBytes(new byte[] {'K', 1, 's', '.'}); // BININT1 1, SETITEM, STOP: {t60: 1}
        Path file = Files.write(dir.resolve("dag_key.pkl"), b.toByteArray());
        // a hang guard, not a timing test: before the bound this never returned
        assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertFails(file, "malformed pickle: dict key nests more than 1000 items at byte 491"));
    }

    @Test
    void bogusStorageCountInLegacyFileDoesNotAllocate() throws IOException {
        byte[] good = Files.readAllBytes(dir.resolve("legacy_one.pth"));
        // The file ends with the only storage: an int64 element count, then 5 floats.
        int countAt = good.length - 5 * 4 - 8;
        assertEquals(5, ByteBuffer.wrap(good, countAt, 8).order(ByteOrder.LITTLE_ENDIAN).getLong());
        byte[] bad = good.clone();
        ByteBuffer.wrap(bad, countAt, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(Long.MAX_VALUE / 4);
        assertFails(Files.write(dir.resolve("bogus_count.pth"), bad), "declares 2305843009213693951 elements");
    }

    @Test
    void safetensorsHeaderLongerThanFile() throws IOException {
        assertFails(safetensors("huge_header.safetensors", 1L << 40, "{}", 0), "header length 1099511627776 exceeds the file size 10");
    }

    @Test
    void safetensorsMalformedJson() throws IOException {
        String json = "{\"a\": {\"dtype\": \"F32\",";
        assertFails(safetensors("bad_json.safetensors", json.length(), json, 0), "malformed safetensors header JSON");
    }

    @Test
    void safetensorsOffsetsBeyondFile() throws IOException {
        String json = "{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}";
        assertFails(safetensors("short.safetensors", json.length(), json, 8),
                "tensor 'a' has data_offsets [0,16] outside the 8 data bytes");
    }

    @Test
    void safetensorsShapeDisagreesWithOffsets() throws IOException {
        String json = "{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}";
        assertFails(safetensors("shape.safetensors", json.length(), json, 8), "has shape [3] of FLOAT32 but 8 data bytes");
    }

    @Test
    void safetensorsUnsupportedDtype() throws IOException {
        String json = "{\"a\":{\"dtype\":\"F8_E4M3\",\"shape\":[2],\"data_offsets\":[0,2]}}";
        assertFails(safetensors("fp8.safetensors", json.length(), json, 2), "unsupported dtype F8_E4M3 of tensor 'a'");
    }

    private static Path safetensors(String name, long headerLength, String json, int dataBytes) throws IOException {
        Path file = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(headerLength).array());
            out.write(json.getBytes(StandardCharsets.UTF_8));
            out.write(new byte[dataBytes]);
        }
        return file;
    }

    private static void assertFails(Path file, String expectedFragment) {
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoints.read(file));
        String msg = e.getMessage();
        assertFalse(msg.contains("\n") || msg.contains("\r"), "multi-line message: " + msg);
        assertTrue(msg.startsWith(file + ": "), msg);
        assertTrue(msg.contains(expectedFragment), "expected '" + expectedFragment + "' in: " + msg);
        assertEquals(file, e.file());
        assertTrue(Arrays.asList(msg.split(": ")).contains(file.toString()), msg);
    }
}
