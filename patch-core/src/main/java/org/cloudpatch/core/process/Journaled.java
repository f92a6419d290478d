package org.cloudpatch.core.process;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The journal entry types an event record is written as: one, or several when the type depends on
 * the event's data (then the record overrides {@link ProcessEvent#type()}).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@interface Journaled {
  String[] value();

  /** The types of each event class, read once. */
  ClassValue<String[]> TYPES =
      new ClassValue<>() {
        @Override
        protected String[] computeValue(Class<?> type) {
          Journaled j = type.getAnnotation(Journaled.class);
          if (j == null) {
            throw new IllegalStateException(type + " has no @Journaled type");
          }
          return j.value();
        }
      };
}
