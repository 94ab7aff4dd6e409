package io.resdet.io;

import java.util.Locale;
import java.util.Optional;

/**
 * Element types a checkpoint tensor can hold, with their names in the safetensors header and in torch pickles.
 * Bytes are always little-endian.
 */
public enum DType {
    FLOAT32(4, "F32", "FloatStorage", "float32"),
    FLOAT16(2, "F16", "HalfStorage", "float16"),
    BFLOAT16(2, "BF16", "BFloat16Storage", "bfloat16"),
    FLOAT64(8, "F64", "DoubleStorage", "float64"),
    INT64(8, "I64", "LongStorage", "int64"),
    INT32(4, "I32", "IntStorage", "int32"),
    INT16(2, "I16", "ShortStorage", "int16"),
    INT8(1, "I8", "CharStorage", "int8"),
    UINT8(1, "U8", "ByteStorage", "uint8"),
    BOOL(1, "BOOL", "BoolStorage", "bool");

    private final int byteSize;
    private final String safetensorsName;
    private final String torchStorageName;
    private final String torchDtypeName;

    DType(int byteSize, String safetensorsName, String torchStorageName, String torchDtypeName) {
        this.byteSize = byteSize;
        this.safetensorsName = safetensorsName;
        this.torchStorageName = torchStorageName;
        this.torchDtypeName = torchDtypeName;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    /** Name in a safetensors header, e.g. {@code F32}. */
    public String safetensorsName() {
        return safetensorsName;
    }

    /** Legacy typed-storage class in module {@code torch}, e.g. {@code FloatStorage}. */
    public String torchStorageName() {
        return torchStorageName;
    }

    /** {@code torch.dtype} attribute name, e.g. {@code float32}. */
    public String torchDtypeName() {
        return torchDtypeName;
    }

    public boolean isFloatingPoint() {
        return this == FLOAT32 || this == FLOAT16 || this == BFLOAT16 || this == FLOAT64;
    }

    public static Optional<DType> fromSafetensors(String name) {
        for (DType t : values()) {
            if (t.safetensorsName.equals(name)) return Optional.of(t);
        }
        return Optional.empty();
    }

    /**
     * Resolves a {@code torch.<name>} global: a typed storage class ({@code FloatStorage}), a dtype
     * ({@code float32}) or one of its aliases ({@code float}, {@code half}, {@code long}, ...).
     */
    public static Optional<DType> fromTorchName(String name) {
        for (DType t : values()) {
            if (t.torchStorageName.equals(name) || t.torchDtypeName.equals(name)) return Optional.of(t);
        }
        // Untyped storages are raw bytes; torch itself loads them as uint8.
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "float" -> Optional.of(FLOAT32);
            case "half" -> Optional.of(FLOAT16);
            case "double" -> Optional.of(FLOAT64);
            case "long" -> Optional.of(INT64);
            case "int" -> Optional.of(INT32);
            case "short" -> Optional.of(INT16);
            case "untypedstorage" -> Optional.of(UINT8);
            default -> Optional.empty();
        };
    }
}
