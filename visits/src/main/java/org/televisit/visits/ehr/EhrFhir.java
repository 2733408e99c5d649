package org.televisit.visits.ehr;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;

/**
 * The few FHIR calls Televisit makes to the EHR that launched it, with the clinician's access
 * token: read, search by identifier, create, update. OkHttp with connect/read timeouts and no
 * redirects (a token never follows a redirect elsewhere); HAPI parses and writes the resources.
 */
final class EhrFhir {

  /** The EHR answered with an error, or not at all; {@code status} is 0 when it did not answer. */
  static final class EhrCallFailed extends RuntimeException {
    final int status;

    EhrCallFailed(String message, int status) {
      super(message);
      this.status = status;
    }
  }

  private static final MediaType FHIR_JSON = MediaType.get("application/fhir+json");

  private final OkHttpClient http;
  private final FhirContext fhir;

  EhrFhir(FhirContext fhir, Duration connectTimeout, Duration readTimeout) {
    this.fhir = fhir;
    this.http =
        new OkHttpClient.Builder()
            .connectTimeout(connectTimeout)
            .readTimeout(readTimeout)
            .callTimeout(connectTimeout.plus(readTimeout))
            .followRedirects(false)
            .followSslRedirects(false)
            .build();
  }

  <T extends IBaseResource> T read(String base, String token, Class<T> type, String id) {
    return type.cast(
        call(token, new Request.Builder().url(url(base, fhir.getResourceType(type), id)).get()));
  }

  /** The first resource of a search (type?identifier=system|value), if any. */
  Optional<IBaseResource> findByIdentifier(
      String base, String token, String type, String system, String value) {
    HttpUrl url =
        url(base, type, null)
            .newBuilder()
            .addQueryParameter("identifier", system + "|" + value)
            .build();
    Bundle found = (Bundle) call(token, new Request.Builder().url(url).get());
    return found.getEntry().stream()
        .map(Bundle.BundleEntryComponent::getResource)
        .filter(r -> r != null && r.fhirType().equals(type))
        .map(IBaseResource.class::cast)
        .findFirst();
  }

  /** Creates; {@code ifNoneExist} (identifier=system|value) makes a repeated create harmless. */
  IBaseResource create(String base, String token, IBaseResource resource, String ifNoneExist) {
    Request.Builder request =
        new Request.Builder()
            .url(url(base, resource.fhirType(), null))
            .post(
                RequestBody.create(
                    fhir.newJsonParser().encodeResourceToString(resource), FHIR_JSON))
            .header("Prefer", "return=representation");
    if (ifNoneExist != null) {
      request.header("If-None-Exist", ifNoneExist);
    }
    return call(token, request);
  }

  void update(String base, String token, IBaseResource resource) {
    String id = resource.getIdElement().getIdPart();
    Request.Builder request =
        new Request.Builder()
            .url(url(base, resource.fhirType(), id))
            .put(
                RequestBody.create(
                    fhir.newJsonParser().encodeResourceToString(resource), FHIR_JSON));
    if (resource.getIdElement().hasVersionIdPart()) {
      request.header("If-Match", "W/\"" + resource.getIdElement().getVersionIdPart() + "\"");
    }
    call(token, request);
  }

  private IBaseResource call(String token, Request.Builder request) {
    try (Response response =
        http.newCall(
                request
                    .header("Authorization", "Bearer " + token)
                    .header("Accept", "application/fhir+json")
                    .build())
            .execute()) {
      String body = response.body().string();
      if (!response.isSuccessful()) {
        throw new EhrCallFailed("the EHR answered HTTP " + response.code(), response.code());
      }
      return body.isBlank() ? null : fhir.newJsonParser().parseResource(body);
    } catch (IOException e) {
      throw new EhrCallFailed("the EHR did not answer (" + e.getClass().getSimpleName() + ")", 0);
    } catch (DataFormatException e) {
      throw new EhrCallFailed("the EHR's answer was not FHIR", 0);
    }
  }

  private static HttpUrl url(String base, String type, String id) {
    HttpUrl.Builder url =
        HttpUrl.get(base.endsWith("/") ? base : base + "/").newBuilder().addPathSegment(type);
    if (id != null) {
      url.addPathSegment(id);
    }
    return url.build();
  }
}
