package dev.parley.config;

import org.apache.catalina.Host;
import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import tools.jackson.databind.json.JsonMapper;

/** The HTTP server's own error answers speak the contract (see {@link ContractErrorReportValve}). */
@Configuration(proxyBeanMethods = false)
class TomcatConfig {

    /** Last, so that it replaces the error report valve Spring Boot adds to the host. */
    @Bean
    @Order(Ordered.LOWEST_PRECEDENCE)
    WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> contractErrorReports(JsonMapper json) {
        return factory -> factory.addContextCustomizers(context -> {
            Host host = (Host) context.getParent();
            for (Valve valve : host.getPipeline().getValves()) {
                if (valve instanceof ErrorReportValve) {
                    host.getPipeline().removeValve(valve);
                }
            }
            host.getPipeline().addValve(new ContractErrorReportValve(json));
            if (host instanceof StandardHost standard) {
                // The host adds a valve of this class when it starts unless one is there already.
                standard.setErrorReportValveClass(ContractErrorReportValve.class.getName());
            }
        });
    }
}
