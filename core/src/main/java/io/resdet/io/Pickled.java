package io.resdet.io;

import java.util.List;

/**
 * The Python values the unpickler builds besides Java's own (String, Long, BigInteger, Double, Boolean, null,
 * byte[], LinkedHashMap for dict, ArrayList for list).
 */
final class Pickled {
    private Pickled() {}

    /** A Python tuple; distinct from a list so that malformed tensor arguments are noticed. */
    record Tuple(List<Object> items) {
        Object get(int i) {
            return items.get(i);
        }

        int size() {
            return items.size();
        }
    }

    /** A class or function named by GLOBAL/STACK_GLOBAL; a value until something calls it. */
    record Global(String module, String name) {
        @Override
        public String toString() {
            return module + "." + name;
        }
    }

    /**
     * An object of a class this reader does not model (argparse.Namespace, numpy scalars, ...). Kept so that
     * checkpoints carrying such metadata still load; it is an error only where a tensor is expected.
     */
    static final class Opaque {
        final Global type;

        Opaque(Global type) {
            this.type = type;
        }

        @Override
        public String toString() {
            return "<" + type + " object>";
        }
    }

    /**
     * A torch storage named by a persistent id. {@code dtype} is null when the storage type is not one this
     * reader supports; {@code typeName} then says which it was. {@code base} is the element offset of this
     * storage inside the stored one: non-zero only for the storage views of the legacy format.
     */
    static final class StorageRef {
        final String key;
        final DType dtype;
        final String typeName;
        final long numel;
        final long base;

        StorageRef(String key, DType dtype, String typeName, long numel, long base) {
            this.key = key;
            this.dtype = dtype;
            this.typeName = typeName;
            this.numel = numel;
            this.base = base;
        }
    }

    /** A strided view of a storage, as {@code torch._utils._rebuild_tensor_v2} describes it; offsets in elements. */
    record TensorRef(StorageRef storage, long offset, long[] size, long[] stride) {}
}
