package dev.parley;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class ParleyApplication {

    static final String TOMCAT_WS_BUFFER = "org.apache.tomcat.websocket.DEFAULT_BUFFER_SIZE";

    public static void main(String[] args) {
        // Tomcat gives every WebSocket three buffers of this size up front (frame input, output, UTF-8 encoding;
        // 8 K each by default); most frames are far smaller (a message.new is well under 1 K), and longer ones are
        // sent in parts. Read once when Tomcat's WebSocket classes load.
        if (System.getProperty(TOMCAT_WS_BUFFER) == null) {
            System.setProperty(TOMCAT_WS_BUFFER, "1024");
        }
        SpringApplication.run(ParleyApplication.class, args);
    }
}
