package io.seriatim.core.queue;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seriatim.core.settings.NamespaceSettings;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rules that need no Redis to show: a stored job, headers included, must fit one Redis value; headers fit the payload limit. */
class JobValidatorTest {
    // A 4 KiB "Redis value limit" stands in for proto-max-bulk-len's 512 MiB.
    private final JobValidator validator = new JobValidator(NamespaceSettings.builder("v").maxPayloadBytes(4000).build(), 4096);
    private final JobValidator small = new JobValidator(NamespaceSettings.builder("s").maxPayloadBytes(100).build());

    /** A header value must not be a way around the payload limit. */
    @Test
    void headersOverThePayloadLimitAreRefusedThoseAtItAreTaken() {
        assertThatCode(() -> small.checkJob(new NewJob(new byte[100], Map.of("h", "v".repeat(99)))))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> small.checkJob(new NewJob(new byte[0], Map.of("h", "v".repeat(100)))))
                .isInstanceOf(InvalidJobException.class)
                .hasMessage("headers are 101 bytes (names and values), over the limit of 100 (the namespace's payload"
                        + " limit, namespace s)");
        assertThatThrownBy(() -> small.checkJob(new NewJob(new byte[0], Map.of("a", "x".repeat(50), "b", "y".repeat(50)))))
                .as("counted together").hasMessageStartingWith("headers are 102 bytes");
    }

    @Test
    void aPayloadUnderItsLimitWhoseHeadersPushItPastRedisValueLimitIsRefused() {
        assertThatCode(() -> validator.checkJob(new NewJob(new byte[4000], Map.of("h", "v")))).doesNotThrowAnyException();
        assertThatThrownBy(() -> validator.checkJob(new NewJob(new byte[4000], Map.of("trace", "x".repeat(100)))))
                .isInstanceOf(InvalidJobException.class)
                .hasMessageContaining("with its headers, over Redis' limit of 4096 bytes");
    }
}
