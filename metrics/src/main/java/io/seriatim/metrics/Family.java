package io.seriatim.metrics;

import java.util.Objects;

/**
 * One Prometheus metric family: what a Dropwizard metric is exported as.
 *
 * @param name  the family's name as written, with its unit suffix ({@code _seconds}) but without
 *              the type's ({@code _total} is added for a counter, {@code _info} for an info)
 * @param type  how it is exported
 * @param help  the HELP line
 * @param divisor what each Dropwizard value is divided by: the conversion to the family's unit
 *              (1e9 for a Dropwizard timer's nanoseconds, 1e3 for milliseconds, else 1)
 */
public record Family(String name, Type type, String help, double divisor) {
    /** The Prometheus type of a family. */
    public enum Type {
        /** Only goes up; written {@code name_total}. From a Dropwizard meter. */
        COUNTER,
        /** A value now. From a Dropwizard gauge or counter (which can go down). */
        GAUGE,
        /** Count and quantiles. From a Dropwizard timer or histogram (no {@code _sum}: they keep none). */
        SUMMARY,
        /** Value 1, its labels the information; written {@code name_info}. */
        INFO
    }

    public Family {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(help, "help");
        if (!(divisor > 0)) {
            throw new IllegalArgumentException("divisor must be positive, got " + divisor);
        }
    }
}
