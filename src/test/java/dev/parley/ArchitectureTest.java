package dev.parley;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.Optional;

/** The layout rules of docs/architecture: features meet through each other's services and events only. */
@AnalyzeClasses(packages = "dev.parley", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    private static final String ROOT = "dev.parley.";

    @ArchTest
    static final ArchRule featuresStayOutOfEachOthersInternalsAndRepositories = classes()
            .that().resideInAPackage("dev.parley.*..")
            .should(new ArchCondition<>("not use another feature's internal package or repositories") {
                @Override
                public void check(JavaClass origin, ConditionEvents events) {
                    Optional<String> own = feature(origin);
                    for (Dependency dependency : origin.getDirectDependenciesFromSelf()) {
                        JavaClass target = dependency.getTargetClass();
                        Optional<String> theirs = feature(target);
                        if (theirs.isEmpty() || theirs.equals(own)) {
                            continue;
                        }
                        boolean internal = target.getPackageName().contains(".internal");
                        boolean repository = target.getSimpleName().endsWith("Repository");
                        if (internal || repository) {
                            events.add(SimpleConditionEvent.violated(dependency, dependency.getDescription()));
                        }
                    }
                }
            });

    @ArchTest
    static final ArchRule onlyRealtimeDependsOnRealtime = noClasses()
            .that().resideOutsideOfPackage("dev.parley.realtime..")
            .should().dependOnClassesThat().resideInAPackage("dev.parley.realtime..")
            .because("features publish events; realtime listens to them, never the other way round")
            .allowEmptyShould(true);

    @ArchTest
    static final ArchRule onlyTheGatewayAndItsHandshakeSeeWebSockets = noClasses()
            .that().resideOutsideOfPackages("dev.parley.realtime..", "dev.parley.auth..")
            .should().dependOnClassesThat().resideInAPackage("org.springframework.web.socket..")
            .because("services serve every transport and never see a WebSocketSession");

    /**
     * realtime is three parts, each calling only the ones below it: sync (catch-up: the log, /sync, /events) uses
     * delivery (who hears of an event, the frames' shapes) and the gateway (per-user caps); delivery (events to
     * devices) uses the gateway (the sockets of this node); the gateway calls neither.
     */
    @ArchTest
    static final ArchRule realtimePartsDependOneWay = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("gateway").definedBy("dev.parley.realtime.gateway..")
            .layer("delivery").definedBy("dev.parley.realtime.delivery..")
            .layer("sync").definedBy("dev.parley.realtime.sync..")
            .whereLayer("sync").mayNotBeAccessedByAnyLayer()
            .whereLayer("delivery").mayOnlyBeAccessedByLayers("sync")
            .whereLayer("gateway").mayOnlyBeAccessedByLayers("delivery", "sync");

    @ArchTest
    static final ArchRule everyRealtimeClassBelongsToOnePart = classes()
            .that().resideInAPackage("dev.parley.realtime..").and().doNotHaveSimpleName("package-info")
            .should().resideInAnyPackage("dev.parley.realtime.gateway..", "dev.parley.realtime.delivery..",
                    "dev.parley.realtime.sync..")
            .because("the gateway, delivery and sync each own their part; nothing sits between them");

    /** {@code dev.parley.message.internal.X} belongs to {@code message}; the root package to no feature. */
    private static Optional<String> feature(JavaClass type) {
        String pkg = type.getPackageName();
        if (!pkg.startsWith(ROOT)) {
            return Optional.empty();
        }
        String rest = pkg.substring(ROOT.length());
        int dot = rest.indexOf('.');
        return Optional.of(dot < 0 ? rest : rest.substring(0, dot));
    }
}
