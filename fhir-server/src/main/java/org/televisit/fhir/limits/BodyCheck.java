package org.televisit.fhir.limits;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Locale;
import java.util.Optional;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * One streaming pass over a request body, before HAPI builds its tree and the validator walks it:
 * nesting depth, the number of values, and text that is not valid Unicode (a lone surrogate, which
 * no database column takes). Costs a fraction of a millisecond per KB; refuses what would cost
 * seconds (contained resources nested 100 deep took ~40 s to validate) or the heap (50,000
 * extensions). The refusal names the limit, never a value from the body.
 */
final class BodyCheck {

  private final RequestLimits limits;
  private final JsonFactory json;
  private final XMLInputFactory xml;

  BodyCheck(RequestLimits limits) {
    this.limits = limits;
    this.json =
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    .maxNestingDepth(limits.maxDepth())
                    .maxStringLength((int) Math.min(Integer.MAX_VALUE, limits.maxBody().toBytes()))
                    .build())
            .build();
    this.xml = XMLInputFactory.newFactory();
    // no DTDs, no external entities: the body is data, never instructions to the parser
    xml.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    xml.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
  }

  /**
   * Why the body is refused, or empty when it is within the limits (or not JSON or XML: HAPI
   * decides).
   */
  Optional<String> problem(byte[] body, String contentType) {
    String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
    try {
      if (type.contains("json")) {
        return json(body);
      }
      if (type.contains("xml")) {
        return xml(body);
      }
      return Optional.empty();
    } catch (StreamConstraintsException e) {
      return Optional.of("The body nests deeper than " + limits.maxDepth() + " levels.");
    } catch (IOException | XMLStreamException e) {
      return Optional.empty(); // malformed: HAPI's parser says where, as a 400
    }
  }

  private Optional<String> json(byte[] body) throws IOException {
    int values = 0;
    try (JsonParser p = json.createParser(body)) {
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        if (t.isScalarValue() || t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
          if (++values > limits.maxElements()) {
            return Optional.of("The body holds more than " + limits.maxElements() + " values.");
          }
        }
        if ((t == JsonToken.VALUE_STRING || t == JsonToken.FIELD_NAME)
            && !validUnicode(p.getText())) {
          return Optional.of(
              "The body holds text that is not valid Unicode (an unpaired surrogate).");
        }
      }
    }
    return Optional.empty();
  }

  private Optional<String> xml(byte[] body) throws XMLStreamException {
    XMLStreamReader r = xml.createXMLStreamReader(new ByteArrayInputStream(body));
    try {
      int depth = 0;
      int elements = 0;
      while (r.hasNext()) {
        int event = r.next();
        if (event == XMLStreamConstants.DTD) {
          return Optional.of("A FHIR body carries no document type declaration.");
        }
        if (event == XMLStreamConstants.START_ELEMENT) {
          if (++depth > limits.maxDepth()) {
            return Optional.of("The body nests deeper than " + limits.maxDepth() + " levels.");
          }
          elements += 1 + r.getAttributeCount();
          if (elements > limits.maxElements()) {
            return Optional.of("The body holds more than " + limits.maxElements() + " values.");
          }
          for (int i = 0; i < r.getAttributeCount(); i++) {
            if (!validUnicode(r.getAttributeValue(i))) {
              return Optional.of(
                  "The body holds text that is not valid Unicode (an unpaired surrogate).");
            }
          }
        } else if (event == XMLStreamConstants.END_ELEMENT) {
          depth--;
        }
      }
      return Optional.empty();
    } finally {
      r.close();
    }
  }

  static boolean validUnicode(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
          return false;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return false;
      }
    }
    return true;
  }
}
