package dev.parley.screening;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The image moderation provider the settings name ({@code parley.moderation.image.provider}). */
@Configuration(proxyBeanMethods = false)
class ImageModerationConfig {

    @Bean
    ImageModeration imageModeration(ScreeningProperties properties, ScreeningMetrics metrics) {
        ScreeningProperties.Image image = properties.image();
        return switch (image.provider()) {
            case REKOGNITION -> new RekognitionImageModeration(image, metrics);
            case NONE ->
                new ImageModeration() {
                    @Override
                    public Verdict check(Image ignored) {
                        return Verdict.ALLOW;
                    }

                    @Override
                    public boolean failOpen() {
                        return true;
                    }

                    @Override
                    public boolean enabled() {
                        return false;
                    }
                };
        };
    }
}
