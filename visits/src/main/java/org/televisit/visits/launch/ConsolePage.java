package org.televisit.visits.launch;

import java.time.Duration;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.CacheControl;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.resource.EncodedResourceResolver;

/** Where /callback lands: the console page; and the browser libraries of the video. */
@Configuration
class ConsolePage implements WebMvcConfigurer {
  @Override
  public void addViewControllers(ViewControllerRegistry registry) {
    registry.addViewController("/console").setViewName("forward:/console.html");
  }

  /**
   * janus.js and adapter.js from Debian's libjs-janus-gateway / libjs-webrtc-adapter (same release
   * as Janus): the pages load the minified files, sent as the .gz copies the packages ship (27 KB
   * for both instead of 265 KB: a patient's page on a slow phone network waits for these).
   */
  @Override
  public void addResourceHandlers(ResourceHandlerRegistry registry) {
    registry
        .addResourceHandler("/vendor/janus/**")
        .addResourceLocations("file:/usr/share/javascript/janus-gateway/")
        .setCacheControl(CacheControl.maxAge(Duration.ofHours(1)))
        .resourceChain(true)
        .addResolver(new EncodedResourceResolver());
    registry
        .addResourceHandler("/vendor/adapter/**")
        .addResourceLocations("file:/usr/share/javascript/webrtc-adapter/")
        .setCacheControl(CacheControl.maxAge(Duration.ofHours(1)))
        .resourceChain(true)
        .addResolver(new EncodedResourceResolver());
  }
}
