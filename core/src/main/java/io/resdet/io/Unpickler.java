package io.resdet.io;

import io.resdet.io.Pickled.Global;
import io.resdet.io.Pickled.Opaque;
import io.resdet.io.Pickled.StorageRef;
import io.resdet.io.Pickled.TensorRef;
import io.resdet.io.Pickled.Tuple;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A pickle virtual machine that evaluates nothing: it rebuilds containers, scalars and torch tensor references,
 * and turns every other class into an {@link Opaque} placeholder. Safe on untrusted files by construction.
 */
final class Unpickler {
    /** Resolves a BINPERSID/PERSID id (torch uses it for storages). */
    interface PersistentLoader {
        Object load(Object pid) throws IOException;
    }

    private static final Object MARK = new Object();

    /**
     * The most items a dict key may nest, counted as a tree. Java's record and List hashCode/equals walk a key's
     * whole structure, and through the memo a few hundred bytes describe a tuple of 2^60 shared halves: hashing
     * it never ends. Real keys are strings or small tuples.
     */
    static final long KEY_ITEMS = 1000;

    private final Path file;
    private final PickleInput in;
    private final PersistentLoader persistent;
    private final List<Object> stack = new ArrayList<>();
    private final List<Integer> marks = new ArrayList<>();
    private final Map<Long, Object> memo = new HashMap<>();
    /** Tree size of each tuple already sized as (part of) a key: tuples never change, so once is enough. */
    private final Map<Tuple, Long> keyItems = new IdentityHashMap<>();

    Unpickler(Path file, PickleInput in, PersistentLoader persistent) {
        this.file = file;
        this.in = in;
        this.persistent = persistent;
    }

    /** Runs until STOP and returns the pickled object. */
    Object load() throws IOException {
        while (true) {
            long at = in.position();
            int op = in.u8();
            switch (op) {
                case 0x80 -> in.u8(); // PROTO: every version up to 5 is read the same way
                case 0x95 -> in.le(8); // FRAME: framing only matters to buffered readers
                case '.' -> {
                    Object result = pop();
                    if (!stack.isEmpty() || !marks.isEmpty()) throw bad("STOP with a non-empty stack", at);
                    return result;
                }
                case '(' -> {
                    marks.add(stack.size());
                    stack.add(MARK);
                }
                case '0' -> pop();
                case '1' -> popMark(at);
                case '2' -> push(peek());
                case '}' -> push(new LinkedHashMap<>());
                case ']' -> push(new ArrayList<>());
                case ')' -> push(new Tuple(List.of()));
                case 'd' -> push(toDict(popMark(at), at));
                case 'l' -> push(new ArrayList<>(popMark(at)));
                case 't' -> push(new Tuple(popMark(at)));
                case 0x85 -> push(tuple(1));
                case 0x86 -> push(tuple(2));
                case 0x87 -> push(tuple(3));
                case 'N' -> push(null);
                case 0x88 -> push(Boolean.TRUE);
                case 0x89 -> push(Boolean.FALSE);
                case 'J' -> push((long) (int) in.le(4));
                case 'K' -> push(in.le(1));
                case 'M' -> push(in.le(2));
                case 0x8a -> push(longN(in.le(1)));
                case 0x8b -> push(longN((int) in.le(4)));
                case 'I' -> push(textInt(in.line(), at));
                case 'L' -> push(parseLong(in.line(), at));
                case 'F' -> push(parseFloat(in.line(), at));
                case 'G' -> push(Double.longBitsToDouble(Long.reverseBytes(in.le(8))));
                case 'X' -> push(utf8(in.bytes(in.le(4))));
                case 0x8c -> push(utf8(in.bytes(in.le(1))));
                case 0x8d -> push(utf8(in.bytes(in.le(8))));
                case 'V' -> push(rawUnicodeEscape(in.line()));
                case 'T' -> push(latin1(in.bytes((int) in.le(4))));
                case 'U' -> push(latin1(in.bytes(in.le(1))));
                case 'S' -> push(unquote(in.line()));
                case 'B' -> push(in.bytes(in.le(4)));
                case 'C' -> push(in.bytes(in.le(1)));
                case 0x8e, 0x96 -> push(in.bytes(in.le(8)));
                case 'c' -> push(new Global(in.line(), in.line()));
                case 0x93 -> {
                    Object name = pop();
                    Object module = pop();
                    // Python requires two str too; and the text of anything else may be a 2^60-node tuple
                    if (!(module instanceof String m) || !(name instanceof String n)) {
                        throw bad("STACK_GLOBAL of " + describe(module) + " and " + describe(name) + ", not two str", at);
                    }
                    push(new Global(m, n));
                }
                case 'p' -> memo.put(parseInt(in.line(), at), peek());
                case 'q' -> memo.put(in.le(1), peek());
                case 'r' -> memo.put(in.le(4), peek());
                case 0x94 -> memo.put((long) memo.size(), peek());
                case 'g' -> push(memoGet(parseInt(in.line(), at), at));
                case 'h' -> push(memoGet(in.le(1), at));
                case 'j' -> push(memoGet(in.le(4), at));
                case 'P' -> push(persistent.load(in.line()));
                case 'Q' -> push(persistent.load(pop()));
                case 'R' -> {
                    Object args = pop();
                    push(call(pop(), args, at));
                }
                case 0x81 -> {
                    Object args = pop();
                    push(call(pop(), args, at));
                }
                case 0x92 -> {
                    pop(); // kwargs: no modelled class takes any
                    Object args = pop();
                    push(call(pop(), args, at));
                }
                case 'i' -> {
                    Global g = new Global(in.line(), in.line());
                    push(call(g, new Tuple(popMark(at)), at));
                }
                case 'o' -> {
                    List<Object> items = popMark(at);
                    if (items.isEmpty()) throw bad("OBJ without a class", at);
                    push(call(items.get(0), new Tuple(items.subList(1, items.size())), at));
                }
                case 'b' -> pop(); // BUILD: attribute state (e.g. OrderedDict._metadata) never holds state-dict items
                case 's' -> {
                    Object value = pop();
                    Object key = key(pop(), at);
                    dictAt(stack.size() - 1, at).put(key, value);
                }
                case 'u' -> {
                    List<Object> items = popMark(at);
                    Map<Object, Object> d = dictAt(stack.size() - 1, at);
                    if (items.size() % 2 != 0) throw bad("SETITEMS with an odd number of items", at);
                    for (int i = 0; i < items.size(); i += 2) d.put(key(items.get(i), at), items.get(i + 1));
                }
                case 'a' -> {
                    Object value = pop();
                    listAt(stack.size() - 1, at).add(value);
                }
                case 'e' -> {
                    List<Object> items = popMark(at);
                    listAt(stack.size() - 1, at).addAll(items);
                }
                case 0x8f -> push(new ArrayList<>()); // EMPTY_SET: only ever metadata, a list will do
                case 0x90 -> {
                    List<Object> items = popMark(at);
                    listAt(stack.size() - 1, at).addAll(items);
                }
                case 0x91 -> push(new ArrayList<>(popMark(at)));
                default -> throw bad(String.format("unsupported pickle opcode 0x%02x", op), at);
            }
        }
    }

    /** Applies a callable to arguments: the few torch/builtin ones a state dict needs, a placeholder otherwise. */
    private Object call(Object callable, Object argsObj, long at) throws IOException {
        if (!(callable instanceof Global g)) {
            throw bad("call of a non-class " + describe(callable), at);
        }
        List<Object> args = argsObj instanceof Tuple t ? t.items() : List.of();
        String name = g.module() + "." + g.name();
        switch (name) {
            case "collections.OrderedDict", "builtins.dict", "__builtin__.dict" -> {
                LinkedHashMap<Object, Object> d = new LinkedHashMap<>();
                if (!args.isEmpty() && args.get(0) instanceof List<?> pairs) {
                    for (Object p : pairs) {
                        if (p instanceof Tuple kv && kv.size() == 2) d.put(key(kv.get(0), at), kv.get(1));
                    }
                }
                return d;
            }
            case "builtins.list", "__builtin__.list" -> {
                return args.isEmpty() ? new ArrayList<>() : new ArrayList<>(asList(args.get(0)));
            }
            case "builtins.tuple", "__builtin__.tuple", "torch.Size" -> {
                return args.isEmpty() ? new Tuple(List.of()) : new Tuple(asList(args.get(0)));
            }
            case "torch._utils._rebuild_tensor", "torch._utils._rebuild_tensor_v2",
                    "torch._utils._rebuild_tensor_v3" -> {
                return tensor(args, at);
            }
            case "torch._utils._rebuild_parameter", "torch._utils._rebuild_parameter_with_state" -> {
                // A Parameter is its data; requires_grad and hooks do not matter for inference.
                return args.isEmpty() ? new Opaque(g) : args.get(0);
            }
            case "torch._tensor._rebuild_from_type_v2", "torch._tensor._rebuild_from_type" -> {
                // (func, type, args, state): subclass and Python attributes are irrelevant; rebuild the base tensor.
                if (args.size() >= 3) return call(args.get(0), args.get(2), at);
                return new Opaque(g);
            }
            case "copy_reg._reconstructor", "copyreg._reconstructor", "copyreg.__newobj__" -> {
                // Protocols 0 and 1 create plain objects through copyreg; the class is the first argument.
                return !args.isEmpty() && args.get(0) instanceof Global cls ? new Opaque(cls) : new Opaque(g);
            }
            default -> {
                return new Opaque(g);
            }
        }
    }

    private Object tensor(List<Object> args, long at) throws IOException {
        if (args.size() < 4 || !(args.get(0) instanceof StorageRef storage)) {
            throw bad("malformed tensor: expected (storage, offset, size, stride, ...)", at);
        }
        long offset = asLong(args.get(1), "storage offset", at);
        long[] size = longs(args.get(2), "size", at);
        long[] stride = longs(args.get(3), "stride", at);
        if (size.length != stride.length) {
            throw bad("tensor size " + Arrays.toString(size) + " and stride " + Arrays.toString(stride)
                    + " differ in rank", at);
        }
        return new TensorRef(storage, offset, size, stride);
    }

    private long[] longs(Object o, String what, long at) throws IOException {
        List<Object> items = asList(o);
        long[] out = new long[items.size()];
        for (int i = 0; i < out.length; i++) out[i] = asLong(items.get(i), what, at);
        return out;
    }

    private long asLong(Object o, String what, long at) throws IOException {
        if (o instanceof Long l) return l;
        throw bad("tensor " + what + " is " + describe(o) + ", not an int", at);
    }

    private static List<Object> asList(Object o) {
        if (o instanceof Tuple t) return t.items();
        if (o instanceof List<?> l) return new ArrayList<>(l);
        return List.of();
    }

    private Tuple tuple(int n) throws IOException {
        Object[] items = new Object[n];
        for (int i = n - 1; i >= 0; i--) items[i] = pop();
        return new Tuple(Arrays.asList(items));
    }

    private Map<Object, Object> toDict(List<Object> items, long at) throws IOException {
        if (items.size() % 2 != 0) throw bad("DICT with an odd number of items", at);
        Map<Object, Object> d = new LinkedHashMap<>();
        for (int i = 0; i < items.size(); i += 2) d.put(key(items.get(i), at), items.get(i + 1));
        return d;
    }

    /**
     * {@code k}, if it is safe to hash: no list or dict inside (Python refuses them as keys, and their contents
     * could change after the check) and at most {@link #KEY_ITEMS} items as a tree.
     */
    private Object key(Object k, long at) throws IOException {
        if (!(k instanceof Tuple root)) {
            if (k instanceof List<?> || k instanceof Map<?, ?>) throw bad("dict key is " + describe(k) + " (unhashable)", at);
            return k;
        }
        // Post-order over the distinct tuples, without recursion: a 100,000-deep chain must not overflow the stack.
        Deque<Tuple> todo = new ArrayDeque<>();
        todo.push(root);
        while (!todo.isEmpty()) {
            Tuple t = todo.peek();
            if (keyItems.containsKey(t)) {
                todo.pop();
                continue;
            }
            long n = 1;
            boolean ready = true;
            for (Object item : t.items()) {
                if (item instanceof List<?> || item instanceof Map<?, ?>) {
                    throw bad("dict key holds " + describe(item) + " (unhashable)", at);
                }
                if (!(item instanceof Tuple child)) {
                    n++;
                } else if (keyItems.containsKey(child)) {
                    n += keyItems.get(child);
                } else {
                    todo.push(child);
                    ready = false;
                }
            }
            if (!ready) continue;
            todo.pop();
            keyItems.put(t, Math.min(n, KEY_ITEMS + 1)); // saturates: 2^60 must not wrap around
        }
        if (keyItems.get(root) > KEY_ITEMS) throw bad("dict key nests more than " + KEY_ITEMS + " items", at);
        return k;
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> dictAt(int index, long at) throws IOException {
        if (index >= 0 && stack.get(index) instanceof Map<?, ?> m) return (Map<Object, Object>) m;
        // Items set on a placeholder (a dict subclass we do not model) are dropped with it.
        if (index >= 0 && stack.get(index) instanceof Opaque) return new HashMap<>();
        throw bad("SETITEM on " + (index >= 0 ? describe(stack.get(index)) : "an empty stack"), at);
    }

    @SuppressWarnings("unchecked")
    private List<Object> listAt(int index, long at) throws IOException {
        if (index >= 0 && stack.get(index) instanceof List<?> l) return (List<Object>) l;
        if (index >= 0 && stack.get(index) instanceof Opaque) return new ArrayList<>();
        throw bad("APPEND on " + (index >= 0 ? describe(stack.get(index)) : "an empty stack"), at);
    }

    private void push(Object o) {
        stack.add(o);
    }

    private Object pop() throws IOException {
        if (stack.isEmpty() || stack.get(stack.size() - 1) == MARK) throw bad("stack underflow", in.position());
        return stack.remove(stack.size() - 1);
    }

    private Object peek() throws IOException {
        if (stack.isEmpty() || stack.get(stack.size() - 1) == MARK) throw bad("stack underflow", in.position());
        return stack.get(stack.size() - 1);
    }

    private List<Object> popMark(long at) throws IOException {
        if (marks.isEmpty()) throw bad("no MARK on the stack", at);
        int m = marks.remove(marks.size() - 1);
        List<Object> items = new ArrayList<>(stack.subList(m + 1, stack.size()));
        stack.subList(m, stack.size()).clear();
        return items;
    }

    private Object memoGet(long key, long at) throws IOException {
        if (!memo.containsKey(key)) throw bad("memo entry " + key + " is not defined", at);
        return memo.get(key);
    }

    private Object longN(long n) throws IOException {
        byte[] le = in.bytes(n);
        if (le.length == 0) return 0L;
        byte[] be = new byte[le.length];
        for (int i = 0; i < le.length; i++) be[i] = le[le.length - 1 - i];
        BigInteger v = new BigInteger(be);
        return v.bitLength() < 64 ? (Object) v.longValue() : v;
    }

    private Object textInt(String s, long at) throws IOException {
        // Protocol 0 spells False and True as I00 and I01.
        if (s.equals("00")) return Boolean.FALSE;
        if (s.equals("01")) return Boolean.TRUE;
        return parseInt(s, at);
    }

    private long parseInt(String s, long at) throws IOException {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw bad("bad integer '" + s + "'", at);
        }
    }

    private Object parseLong(String s, long at) throws IOException {
        String t = s.endsWith("L") ? s.substring(0, s.length() - 1) : s;
        try {
            BigInteger v = new BigInteger(t.trim());
            return v.bitLength() < 64 ? (Object) v.longValue() : v;
        } catch (NumberFormatException e) {
            throw bad("bad long '" + s + "'", at);
        }
    }

    private double parseFloat(String s, long at) throws IOException {
        try {
            return Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            throw bad("bad float '" + s + "'", at);
        }
    }

    /** Protocol 0's UNICODE: latin-1 bytes with \\uXXXX and \\UXXXXXXXX escapes for everything else. */
    private static String rawUnicodeEscape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            int digits = c != '\\' || i + 1 >= s.length() ? 0 : s.charAt(i + 1) == 'u' ? 4 : s.charAt(i + 1) == 'U' ? 8 : 0;
            if (digits > 0 && i + 2 + digits <= s.length()) {
                try {
                    sb.appendCodePoint(Integer.parseInt(s.substring(i + 2, i + 2 + digits), 16));
                    i += 1 + digits;
                    continue;
                } catch (IllegalArgumentException notAnEscape) {
                    // keep the backslash literally, as Python does for a malformed escape it wrote itself
                }
            }
            sb.append(c);
        }
        return sb.toString();
    }

    private static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static String latin1(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    private static String unquote(String s) {
        String t = s.trim();
        if (t.length() >= 2 && (t.charAt(0) == '\'' || t.charAt(0) == '"')) return t.substring(1, t.length() - 1);
        return t;
    }

    static String describe(Object o) {
        if (o == null) return "None";
        if (o instanceof String) return "a str";
        if (o instanceof Long || o instanceof BigInteger) return "an int";
        if (o instanceof Double) return "a float";
        if (o instanceof Boolean) return "a bool";
        if (o instanceof Map<?, ?>) return "a dict";
        if (o instanceof List<?>) return "a list";
        if (o instanceof Tuple) return "a tuple";
        if (o instanceof TensorRef) return "a tensor";
        if (o instanceof StorageRef) return "a storage";
        if (o instanceof byte[]) return "bytes";
        if (o instanceof Global g) return "the class " + g;
        if (o instanceof Opaque op) return "a " + op.type + " object";
        return o.getClass().getSimpleName();
    }

    private CheckpointException bad(String what, long at) {
        return new CheckpointException(file, "malformed pickle: " + what + " at byte " + at);
    }
}
