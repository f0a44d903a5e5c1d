package dev.parley.config;

import java.util.List;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.CorsRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Lets browser apps on other origins call the API and the local store's signed URLs (an upload is a PUT from
 * the page straight to {@code /storage/}). Parley authenticates with bearer tokens, never cookies, so no
 * credentials are allowed across origins; restrict the origins in production anyway.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(HttpProperties.class)
class CorsConfig implements WebMvcConfigurer {

    private final HttpProperties properties;

    CorsConfig(HttpProperties properties) {
        this.properties = properties;
    }

    @Override
    public void addCorsMappings(CorsRegistry registry) {
        String[] origins = properties.allowedOrigins().toArray(String[]::new);
        for (String path : List.of("/api/**", "/storage/**")) {
            registry.addMapping(path)
                    .allowedOriginPatterns(origins)
                    .allowedMethods("GET", "POST", "PUT", "PATCH", "DELETE")
                    .allowedHeaders("*")
                    .exposedHeaders("Retry-After")
                    .allowCredentials(false)
                    .maxAge(3600);
        }
    }
}
