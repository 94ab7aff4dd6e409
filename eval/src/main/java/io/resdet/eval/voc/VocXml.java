package io.resdet.eval.voc;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The VOC annotation XML primitives both the devkit reader and the detector's training set use. */
public final class VocXml {
    private VocXml() {
    }

    /** A parser that refuses DTDs and external entities: annotation files come from users. */
    public static DocumentBuilder parser() {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            DocumentBuilder db = f.newDocumentBuilder();
            db.setErrorHandler(null);
            return db;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first direct child element named {@code tag}, or null. */
    public static Element child(Element e, String tag) {
        NodeList l = e.getChildNodes();
        for (int i = 0; i < l.getLength(); i++) {
            if (l.item(i) instanceof Element c && c.getTagName().equals(tag)) return c;
        }
        return null;
    }

    /** The stripped text of child {@code tag}, or null when there is none. */
    public static String optText(Element e, String tag) {
        Element c = child(e, tag);
        return c == null ? null : c.getTextContent().strip();
    }
}
