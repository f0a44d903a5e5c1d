package dev.parley;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaConstructor;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * The layout rules of docs/architecture.md: features meet through each other's services, interfaces and events
 * only, and depend on each other in one direction.
 */
@AnalyzeClasses(packages = "dev.parley", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    private static final String ROOT = "dev.parley.";
    private static final int MAX_DEPENDENCIES = 8;

    /** The shared kernel and the wiring: not features, so not subject to the feature-to-feature rules. */
    private static final Set<String> NOT_FEATURES = Set.of("common", "config");

    /**
     * A feature's data access is its own: no class of another feature may use a class that talks to the database
     * (one that depends on Spring's JDBC), whatever its name. It asks the owner's service instead, or reads the
     * owner's views in its own SQL. (Before, only names ending in Repository were checked, and a "ConversationAccess"
     * ran SQL for six features unseen.) Internal packages are off limits as before.
     */
    @ArchTest
    static final ArchRule featuresStayOutOfEachOthersInternalsAndDataAccess = classes()
            .that()
            .resideInAPackage("dev.parley.*..")
            .should(new ArchCondition<>("not use another feature's internal package or data access classes") {
                @Override
                public void check(JavaClass origin, ConditionEvents events) {
                    Optional<String> own = feature(origin);
                    for (Dependency dependency : origin.getDirectDependenciesFromSelf()) {
                        JavaClass target = dependency.getTargetClass();
                        Optional<String> theirs = feature(target);
                        if (theirs.isEmpty() || theirs.equals(own) || NOT_FEATURES.contains(theirs.get())) {
                            continue;
                        }
                        if (target.getPackageName().contains(".internal") || talksToTheDatabase(target)) {
                            events.add(SimpleConditionEvent.violated(dependency, dependency.getDescription()));
                        }
                    }
                }
            });

    /**
     * No cycle between top-level packages: each feature can be understood, tested and changed with only what it
     * depends on, and a change never comes back around to where it started.
     */
    @ArchTest
    static final ArchRule noCyclesBetweenFeatures =
            slices().matching("dev.parley.(*)..").should().beFreeOfCycles();

    /**
     * {@code config} is wiring: it may know every feature, so no feature may know it (that would be a cycle
     * waiting to happen). Settings a feature reads are its own {@code XProperties}, or {@code common}'s when shared.
     */
    @ArchTest
    static final ArchRule featuresDoNotDependOnTheWiring = noClasses()
            .that()
            .resideOutsideOfPackage("dev.parley.config..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("dev.parley.config..")
            .because("config wires features together; features take their settings from their own properties");

    @ArchTest
    static final ArchRule onlyRealtimeDependsOnRealtime = noClasses()
            .that()
            .resideOutsideOfPackage("dev.parley.realtime..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("dev.parley.realtime..")
            .because("features publish events; realtime listens to them, never the other way round")
            .allowEmptyShould(true);

    @ArchTest
    static final ArchRule onlyTheGatewayAndItsHandshakeSeeWebSockets = noClasses()
            .that()
            .resideOutsideOfPackages("dev.parley.realtime..", "dev.parley.auth..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("org.springframework.web.socket..")
            .because("services serve every transport and never see a WebSocketSession");

    /**
     * realtime is three parts, each calling only the ones below it: sync (catch-up: the log, /sync, /events) uses
     * delivery (who hears of an event, the frames' shapes) and the gateway (per-user caps); delivery (events to
     * devices) uses the gateway (the sockets of this node); the gateway calls neither.
     */
    @ArchTest
    static final ArchRule realtimePartsDependOneWay = layeredArchitecture()
            .consideringOnlyDependenciesInLayers()
            .layer("gateway")
            .definedBy("dev.parley.realtime.gateway..")
            .layer("delivery")
            .definedBy("dev.parley.realtime.delivery..")
            .layer("sync")
            .definedBy("dev.parley.realtime.sync..")
            .whereLayer("sync")
            .mayNotBeAccessedByAnyLayer()
            .whereLayer("delivery")
            .mayOnlyBeAccessedByLayers("sync")
            .whereLayer("gateway")
            .mayOnlyBeAccessedByLayers("delivery", "sync");

    @ArchTest
    static final ArchRule everyRealtimeClassBelongsToOnePart = classes()
            .that()
            .resideInAPackage("dev.parley.realtime..")
            .and()
            .doNotHaveSimpleName("package-info")
            .should()
            .resideInAnyPackage(
                    "dev.parley.realtime.gateway..", "dev.parley.realtime.delivery..", "dev.parley.realtime.sync..")
            .because("the gateway, delivery and sync each own their part; nothing sits between them");

    /**
     * A bean that needs more than eight collaborators does more than one job (MessageService had thirteen): split
     * it by job rather than raise this.
     */
    @ArchTest
    static final ArchRule beansTakeAtMostEightDependencies = classes()
            .that()
            .areMetaAnnotatedWith(Component.class)
            .should(new ArchCondition<>("have no constructor taking more than " + MAX_DEPENDENCIES + " dependencies") {
                @Override
                public void check(JavaClass bean, ConditionEvents events) {
                    for (JavaConstructor constructor : bean.getConstructors()) {
                        int count = constructor.getRawParameterTypes().size();
                        if (count > MAX_DEPENDENCIES) {
                            events.add(SimpleConditionEvent.violated(
                                    constructor, constructor.getFullName() + " takes " + count + " dependencies"));
                        }
                    }
                }
            });

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

    private static boolean talksToTheDatabase(JavaClass type) {
        return type.getDirectDependenciesFromSelf().stream()
                .anyMatch(d -> d.getTargetClass().getPackageName().startsWith("org.springframework.jdbc"));
    }
}
