package dev.parley.common;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The error codes an endpoint's own checks can answer with, beyond those every endpoint of its shape can (a bad
 * parameter or body, a missing token, a body over the limit, an outage: the OpenAPI document adds those by
 * itself). The document lists each code under its HTTP status, with the contract's error body, so a generated
 * client knows every failure it must handle. Keep it next to the service method's "Throws ..." comment.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface ApiErrors {

    ErrorCode[] value();
}
