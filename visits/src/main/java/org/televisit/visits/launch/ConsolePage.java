package org.televisit.visits.launch;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Where /callback lands: the console page; and the browser libraries of the video. */
@Configuration
class ConsolePage implements WebMvcConfigurer {
  @Override
  public void addViewControllers(ViewControllerRegistry registry) {
    registry.addViewController("/console").setViewName("forward:/console.html");
  }

  /** janus.js and adapter.js from Debian's libjs-janus-gateway / libjs-webrtc-adapter (same release as Janus). */
  @Override
  public void addResourceHandlers(org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry registry) {
    registry.addResourceHandler("/vendor/janus/**").addResourceLocations("file:/usr/share/javascript/janus-gateway/");
    registry.addResourceHandler("/vendor/adapter/**").addResourceLocations("file:/usr/share/javascript/webrtc-adapter/");
  }
}
