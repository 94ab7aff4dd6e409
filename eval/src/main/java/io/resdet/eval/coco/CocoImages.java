package io.resdet.eval.coco;

import com.fasterxml.jackson.core.JsonToken;
import io.resdet.eval.EvalInputException;
import io.resdet.eval.util.JsonCursor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The {@code images} section of a COCO instances file: what a detection run needs to find the pictures. */
public final class CocoImages {
    public record Image(long id, String fileName, int width, int height) {}

    private CocoImages() {}

    /**
     * Streams through the file, keeping only {@code images}; annotations are skipped unparsed. Reads through
     * {@link JsonCursor} so that malformed or absurdly nested files fail the way the evaluator's reader does.
     */
    public static List<Image> read(Path gt) {
        List<Image> out = new ArrayList<>();
        try (JsonCursor c = JsonCursor.open(gt)) {
            if (c.next() != JsonToken.START_OBJECT) throw new EvalInputException(gt + ": not a COCO instances object");
            while (c.next() == JsonToken.FIELD_NAME) {
                String field = c.fieldName();
                c.next();
                if (!field.equals("images")) {
                    c.skipValue();
                    continue;
                }
                if (c.current() != JsonToken.START_ARRAY) throw new EvalInputException(gt + ": 'images' is not a list");
                int index = 0;
                while (c.next() == JsonToken.START_OBJECT) {
                    c.at("images", index);
                    long id = Long.MIN_VALUE;
                    String name = null;
                    int w = 0, h = 0;
                    while (c.next() == JsonToken.FIELD_NAME) {
                        String f = c.fieldName();
                        c.next();
                        switch (f) {
                            case "id" -> id = c.integer("id");
                            case "file_name" -> name = c.text("file_name");
                            case "width" -> w = (int) c.integer("width");
                            case "height" -> h = (int) c.integer("height");
                            default -> c.skipValue();
                        }
                    }
                    if (id == Long.MIN_VALUE || name == null) {
                        throw new EvalInputException(gt + ": images[" + index + "] lacks id or file_name");
                    }
                    out.add(new Image(id, name, w, h));
                    index++;
                }
            }
        }
        return out;
    }
}
