package io.workerrole.role.control;

import io.workerrole.api.BackgroundTask;
import io.workerrole.api.JobHandler;
import io.workerrole.api.RoleHook;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.ProcessAnnotatedType;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A CDI extension that looks at every job handler, background task and hook class as the
 * application is deployed, before CDI validates it: a class CDI could not make a bean of is
 * left out (vetoed) and its problem kept, so that the application still deploys and the worker
 * refuses to start with a message naming the class and the fix ({@code RoleHooks} reports
 * them), instead of an application that fails to deploy with an error about proxies.
 */
public class DeveloperBeanCheck implements Extension {

    private final List<String> problems = new CopyOnWriteArrayList<>();

    <T extends JobHandler> void handler(@Observes ProcessAnnotatedType<T> type, BeanManager beans) {
        check(type, "Job handler", beans);
    }

    <T extends BackgroundTask> void task(@Observes ProcessAnnotatedType<T> type, BeanManager beans) {
        check(type, "Background task", beans);
    }

    <T extends RoleHook> void hook(@Observes ProcessAnnotatedType<T> type, BeanManager beans) {
        check(type, "Role hook", beans);
    }

    private void check(ProcessAnnotatedType<?> type, String kind, BeanManager beans) {
        BeanClassProblems.of(type.getAnnotatedType().getJavaClass(), kind, beans::isNormalScope).ifPresent(problem -> {
            problems.add(problem);
            type.veto();
        });
    }

    /** @return the problems found with developers' classes, which were left out */
    public List<String> problems() {
        return List.copyOf(problems);
    }
}
