package io.workerrole;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;

import java.sql.ResultSet;
import java.util.List;
import java.util.Optional;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The house rules (docs/developing.md, "Where things live"), held against the compiled worker:
 * capabilities meet only at their front doors ({@code boundary}, {@code entity} and the
 * public {@code api}), the shared plumbing depends on no capability, and no two capabilities
 * depend on each other. A change that breaks one is a design question, answered in code: a
 * front-door method, an interface the other side implements, a move to {@code platform}.
 */
@AnalyzeClasses(packages = "io.workerrole", importOptions = ImportOption.DoNotIncludeTests.class)
class HouseRulesTest {

    /** The packages of the worker that hold one capability each, split into boundary, control and entity. */
    static final List<String> CAPABILITIES = List.of("jobs", "schedules", "pipelines", "scripts", "storage", "role", "servers", "dashboard");
    /** The capabilities' packages with their sub-packages, as ArchUnit names them. */
    private static final String[] CAPABILITY_PACKAGES = CAPABILITIES.stream().map(c -> "io.workerrole." + c + "..").toArray(String[]::new);

    @ArchTest
    static final ArchRule noCapabilityUsesAnothersControl = classes()
            .that().resideInAnyPackage(CAPABILITY_PACKAGES)
            .should(new ArchCondition<JavaClass>("use no other capability's control classes") {
                @Override
                public void check(JavaClass item, ConditionEvents events) {
                    String own = capability(item).orElseThrow();
                    for (Dependency dependency : item.getDirectDependenciesFromSelf()) {
                        JavaClass target = dependency.getTargetClass();
                        Optional<String> theirs = capability(target);
                        if (theirs.isPresent() && !theirs.get().equals(own)
                                && target.getPackageName().startsWith("io.workerrole." + theirs.get() + ".control")) {
                            events.add(SimpleConditionEvent.violated(dependency, dependency.getDescription()
                                    + ": reach " + theirs.get() + " through its boundary (a front door) instead"));
                        }
                    }
                }
            });

    @ArchTest
    static final ArchRule platformAndApiUseNoCapability = noClasses()
            .that().resideInAnyPackage("io.workerrole.platform..", "io.workerrole.api..")
            .should().dependOnClassesThat()
            .resideInAnyPackage(CAPABILITY_PACKAGES)
            .because("what every capability shares cannot depend on one of them");

    @ArchTest
    static final ArchRule apiUsesNothingOfTheWorker = noClasses()
            .that().resideInAPackage("io.workerrole.api..")
            .should().dependOnClassesThat().resideInAPackage("io.workerrole.platform..")
            .because("the API artifact is published on its own, for handler projects (examples/)");

    @ArchTest
    static final ArchRule capabilitiesFormNoCycle = slices().matching("io.workerrole.(*)..")
            .should().beFreeOfCycles();

    @ArchTest
    static final ArchRule valuesDependOnNoLogic = noClasses()
            .that().resideInAPackage("io.workerrole.*.entity..")
            .should().dependOnClassesThat().resideInAnyPackage("io.workerrole.*.control..", "io.workerrole.*.boundary..")
            .because("an entity package holds values that any layer may pass around");

    @ArchTest
    static final ArchRule controlCallsNoResourceOfItsOwn = classes()
            .that().resideInAPackage("io.workerrole.*.control..")
            .should(new ArchCondition<JavaClass>("use no class of its own capability's boundary but the interfaces it declares") {
                @Override
                public void check(JavaClass item, ConditionEvents events) {
                    String ownBoundary = "io.workerrole." + capability(item).orElseThrow() + ".boundary";
                    for (Dependency dependency : item.getDirectDependenciesFromSelf()) {
                        JavaClass target = dependency.getTargetClass();
                        if (target.getPackageName().startsWith(ownBoundary) && !target.isInterface()) {
                            events.add(SimpleConditionEvent.violated(dependency, dependency.getDescription()
                                    + ": control is what its boundary calls, not the other way round"));
                        }
                    }
                }
            })
            .because("a control class may use another capability's front door, or an interface its own boundary declares for "
                    + "another capability to implement (PipelineStepEnds), never its own resources");

    @ArchTest
    static final ArchRule onlyJdbcReadsResultSets = noClasses()
            .that().doNotHaveFullyQualifiedName("io.workerrole.platform.Jdbc")
            .should().callMethod(ResultSet.class, "next")
            .because("a store method is its SQL, its parameters and its table's row mapper (platform.Jdbc): "
                    + "the result-set loop, and the closing of what it opens, are written once");

    private static Optional<String> capability(JavaClass type) {
        String name = type.getPackageName();
        return CAPABILITIES.stream().filter(c -> name.equals("io.workerrole." + c) || name.startsWith("io.workerrole." + c + ".")).findFirst();
    }
}
