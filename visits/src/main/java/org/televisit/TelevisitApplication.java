package org.televisit;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Televisit: one Spring Boot application composed of the fhir-server, smart-launch and video
 * modules.
 */
@SpringBootApplication
public class TelevisitApplication {

  public static void main(String[] args) {
    SpringApplication.run(TelevisitApplication.class, args);
  }
}
