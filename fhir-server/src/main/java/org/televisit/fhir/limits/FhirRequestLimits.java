package org.televisit.fhir.limits;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The first thing a request with a body meets on /fhir: a size limit before a byte is parsed (413),
 * only the formats Televisit reads (415), and {@link BodyCheck}'s depth, count and Unicode limits
 * (400). Each refusal is an OperationOutcome with a sentence. The body is read once here, and the
 * rest of the request reads it from memory (HAPI reads every body whole anyway).
 */
public final class FhirRequestLimits extends OncePerRequestFilter {

  /** What /fhir takes as a body: FHIR JSON and XML, JSON Patch, and a form for POST _search. */
  private static final Set<String> READABLE =
      Set.of(
          "application/fhir+json",
          "application/json",
          "application/json+fhir",
          "application/fhir+xml",
          "application/xml",
          "application/xml+fhir",
          "text/xml",
          "application/json-patch+json",
          "application/x-www-form-urlencoded");

  private final RequestLimits limits;
  private final BodyCheck check;

  public FhirRequestLimits(RequestLimits limits) {
    this.limits = limits;
    this.check = new BodyCheck(limits);
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String method = request.getMethod();
    if (!("POST".equals(method) || "PUT".equals(method) || "PATCH".equals(method))) {
      chain.doFilter(request, response);
      return;
    }
    long max = limits.maxBody().toBytes();
    if (request.getContentLengthLong() > max) {
      refuse(response, 413, "too-costly", tooLarge());
      return;
    }
    String contentType = request.getContentType();
    String mime =
        contentType == null ? null : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (mime != null && !mime.isEmpty() && !READABLE.contains(mime)) {
      refuse(
          response,
          415,
          "not-supported",
          "Televisit reads FHIR as JSON (application/fhir+json) or XML"
              + " (application/fhir+xml), not "
              + (mime.length() > 60 ? mime.substring(0, 60) : mime)
              + ".");
      return;
    }
    if ("application/x-www-form-urlencoded".equals(mime)) {
      chain.doFilter(
          request, response); // Tomcat parses forms itself (server.tomcat.max-http-form-post-size)
      return;
    }
    byte[] body = readAtMost(request.getInputStream(), max);
    if (body == null) {
      refuse(response, 413, "too-costly", tooLarge());
      return;
    }
    Optional<String> problem = check.problem(body, mime);
    if (problem.isPresent()) {
      refuse(response, 400, "too-costly", problem.get());
      return;
    }
    chain.doFilter(new ReadBody(request, body), response);
  }

  private String tooLarge() {
    return "The request body is larger than "
        + limits.maxBody().toKilobytes()
        + " KB. Send fewer resources at a time.";
  }

  /** The whole body, or null as soon as it passes {@code max} bytes. */
  private static byte[] readAtMost(InputStream in, long max) throws IOException {
    byte[] read = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
    return read.length > max ? null : read;
  }

  private static void refuse(HttpServletResponse response, int status, String code, String sentence)
      throws IOException {
    response.setStatus(status);
    response.setContentType("application/fhir+json;charset=UTF-8");
    response.setHeader("Cache-Control", "no-store");
    // the sentence is Televisit's own (never a value from the body): no escaping needed beyond
    // quotes
    response
        .getWriter()
        .write(
            "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\",\"code\":\""
                + code
                + "\",\"diagnostics\":\""
                + sentence.replace("\\", "\\\\").replace("\"", "\\\"")
                + "\"}]}");
  }

  /** The request with its body already read. */
  private static final class ReadBody extends HttpServletRequestWrapper {
    private final byte[] body;

    ReadBody(HttpServletRequest request, byte[] body) {
      super(request);
      this.body = body;
    }

    @Override
    public ServletInputStream getInputStream() {
      ByteArrayInputStream in = new ByteArrayInputStream(body);
      return new ServletInputStream() {
        @Override
        public int read() {
          return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
          return in.read(b, off, len);
        }

        @Override
        public boolean isFinished() {
          return in.available() == 0;
        }

        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
          throw new UnsupportedOperationException("the body is already read");
        }
      };
    }

    @Override
    public BufferedReader getReader() {
      String encoding = getCharacterEncoding();
      return new BufferedReader(
          new InputStreamReader(
              getInputStream(),
              encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding)));
    }

    @Override
    public int getContentLength() {
      return body.length;
    }

    @Override
    public long getContentLengthLong() {
      return body.length;
    }
  }
}
