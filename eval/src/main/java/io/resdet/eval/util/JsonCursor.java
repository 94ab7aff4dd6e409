package io.resdet.eval.util;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import io.resdet.eval.EvalInputException;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A streaming JSON parser that turns every problem into an {@link EvalInputException} naming the
 * file, line and column. NaN/Infinity literals are accepted by the tokenizer (Python's json module
 * writes them) so that the caller can reject them with a message about the field instead.
 */
public final class JsonCursor implements Closeable {
    /**
     * COCO files nest five deep at most; a hostile file nests 100,000 deep in a field nobody reads. Jackson
     * skips iteratively, so the limit is not about the stack: it turns such a file into a one-line error
     * naming the byte, rather than Jackson's own message without a location.
     */
    public static final int MAX_DEPTH = 512;

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            // half a million boxes are 2.5 million numbers: the JDK's parseDouble is the bottleneck
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .build();

    private final JsonParser p;
    private final String file;
    // the record being read, for messages; kept apart so that no string is built per value
    private String list;
    private int index = -1;

    private JsonCursor(JsonParser p, String file) {
        this.p = p;
        this.file = file;
    }

    public static JsonCursor open(Path path) {
        String name = path.toString();
        if (!Files.isRegularFile(path)) throw new EvalInputException(name + ": no such file");
        try {
            return new JsonCursor(FACTORY.createParser(path.toFile()), name);
        } catch (NoSuchFileException e) {
            throw new EvalInputException(name + ": no such file");
        } catch (IOException e) {
            throw new EvalInputException(name + ": cannot read: " + e.getMessage(), e);
        }
    }

    public String file() {
        return file;
    }

    /** Names the record being read ({@code list[index]}) in later error messages. */
    public void at(String list, int index) {
        this.list = list;
        this.index = index;
    }

    /** {@code list[index].field}, or {@code list[index]} for a null field. */
    public String where(String field) {
        String rec = list == null ? "" : list + "[" + index + "]";
        if (field == null) return rec;
        return rec.isEmpty() ? field : rec + "." + field;
    }

    /** Next token; malformed JSON and end of file become {@link EvalInputException}. */
    public JsonToken next() {
        try {
            JsonToken t = p.nextToken();
            if (t == null) throw fail("unexpected end of file");
            return t;
        } catch (StreamConstraintsException e) {
            throw tooDeep(e);
        } catch (JsonProcessingException e) {
            JsonLocation l = e.getLocation();
            String at = l == null ? "" : " at line " + l.getLineNr() + ", column " + l.getColumnNr();
            throw new EvalInputException(file + ": malformed JSON" + at + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }

    public JsonToken current() {
        return p.currentToken();
    }

    /** Current field name (when the current token is a field name). */
    public String fieldName() {
        try {
            return p.currentName();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void expect(JsonToken t, String what) {
        if (p.currentToken() != t) throw fail("expected " + what + " but found " + describe(p.currentToken()));
    }

    /** Skips the value at the current token (object, array or scalar). */
    public void skipValue() {
        try {
            p.skipChildren();
        } catch (StreamConstraintsException e) {
            throw tooDeep(e);
        } catch (JsonProcessingException e) {
            JsonLocation l = e.getLocation();
            String at = l == null ? "" : " at line " + l.getLineNr() + ", column " + l.getColumnNr();
            throw new EvalInputException(file + ": malformed JSON" + at + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The current token as a double; {@code field} of the current record is named in the error. */
    public double number(String field) {
        JsonToken t = p.currentToken();
        if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
            throw fail(where(field) + " must be a number, found " + describe(t));
        }
        try {
            return p.getDoubleValue();
        } catch (IOException e) {
            throw fail(where(field) + ": " + e.getMessage());
        }
    }

    /** The current token as an integer id. */
    public long integer(String field) {
        JsonToken t = p.currentToken();
        try {
            if (t == JsonToken.VALUE_NUMBER_INT) return p.getLongValue();
            if (t == JsonToken.VALUE_NUMBER_FLOAT) {
                double d = p.getDoubleValue();
                if (d == Math.rint(d) && Math.abs(d) < 9.0e15) return (long) d;
            }
        } catch (IOException e) {
            throw fail(where(field) + ": " + e.getMessage());
        }
        throw fail(where(field) + " must be an integer, found " + describe(t));
    }

    public String text(String field) {
        JsonToken t = p.currentToken();
        if (t != JsonToken.VALUE_STRING) throw fail(where(field) + " must be a string, found " + describe(t));
        try {
            return p.getText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Jackson's nesting limit carries no location; the parser still knows how far it read. */
    private EvalInputException tooDeep(StreamConstraintsException e) {
        // the parser stands just past the bracket that went one level too deep
        return new EvalInputException(file + ": nesting deeper than " + MAX_DEPTH + " at byte "
                + (p.currentLocation().getByteOffset() - 1), e);
    }

    /** An error at the current position. */
    public EvalInputException fail(String message) {
        JsonLocation l = p.currentTokenLocation();
        return new EvalInputException(file + " (line " + l.getLineNr() + ", column " + l.getColumnNr() + "): " + message);
    }

    private String describe(JsonToken t) {
        if (t == null) return "end of file";
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.toString();
        };
    }

    @Override
    public void close() {
        try {
            p.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
