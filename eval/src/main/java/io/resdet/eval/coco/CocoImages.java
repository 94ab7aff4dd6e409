package io.resdet.eval.coco;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.resdet.eval.EvalInputException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The {@code images} section of a COCO instances file: what a detection run needs to find the pictures. */
public final class CocoImages {
    public record Image(long id, String fileName, int width, int height) {}

    private CocoImages() {}

    /** Streams through the file, keeping only {@code images}; annotations are skipped unparsed. */
    public static List<Image> read(Path gt) {
        List<Image> out = new ArrayList<>();
        try (JsonParser p = new JsonFactory().createParser(gt.toFile())) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw new EvalInputException(gt + ": not a COCO instances object");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                if (!field.equals("images")) {
                    p.skipChildren();
                    continue;
                }
                if (p.currentToken() != JsonToken.START_ARRAY) throw new EvalInputException(gt + ": 'images' is not a list");
                int index = 0;
                while (p.nextToken() == JsonToken.START_OBJECT) {
                    long id = Long.MIN_VALUE;
                    String name = null;
                    int w = 0, h = 0;
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String f = p.currentName();
                        p.nextToken();
                        switch (f) {
                            case "id" -> id = p.getLongValue();
                            case "file_name" -> name = p.getText();
                            case "width" -> w = p.getIntValue();
                            case "height" -> h = p.getIntValue();
                            default -> p.skipChildren();
                        }
                    }
                    if (id == Long.MIN_VALUE || name == null) {
                        throw new EvalInputException(gt + ": images[" + index + "] lacks id or file_name");
                    }
                    out.add(new Image(id, name, w, h));
                    index++;
                }
            }
        } catch (IOException e) {
            throw new EvalInputException(gt + ": " + e.getMessage().lines().findFirst().orElse("unreadable"));
        }
        return out;
    }
}
