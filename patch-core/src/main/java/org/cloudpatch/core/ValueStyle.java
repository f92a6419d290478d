package org.cloudpatch.core;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.immutables.value.Value;

/**
 * The one Immutables style of cloudpatch's value types.
 *
 * <p>Source retention, so that hosts need no Immutables on their classpath. Implementations are
 * package-private and hidden behind the abstract type ({@code overshadowImplementation}); public
 * accessors return {@code java.util} collections ({@code jdkOnly}).
 */
@Target({ElementType.PACKAGE, ElementType.TYPE})
@Retention(RetentionPolicy.SOURCE)
@Value.Style(
    visibility = Value.Style.ImplementationVisibility.PACKAGE,
    builderVisibility = Value.Style.BuilderVisibility.PUBLIC,
    overshadowImplementation = true,
    jdkOnly = true,
    defaults = @Value.Immutable(copy = true))
public @interface ValueStyle {}
