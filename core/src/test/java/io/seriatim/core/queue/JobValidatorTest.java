package io.seriatim.core.queue;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seriatim.core.settings.NamespaceSettings;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one rule that needs no Redis to show: a stored job, headers included, must fit one Redis value. */
class JobValidatorTest {
    // A 4 KiB "Redis value limit" stands in for proto-max-bulk-len's 512 MiB.
    private final JobValidator validator = new JobValidator(NamespaceSettings.builder("v").maxPayloadBytes(4000).build(), 4096);

    @Test
    void aPayloadUnderItsLimitWhoseHeadersPushItPastRedisValueLimitIsRefused() {
        assertThatCode(() -> validator.checkJob(new NewJob(new byte[4000], Map.of("h", "v")))).doesNotThrowAnyException();
        assertThatThrownBy(() -> validator.checkJob(new NewJob(new byte[4000], Map.of("trace", "x".repeat(100)))))
                .isInstanceOf(InvalidJobException.class)
                .hasMessageContaining("with its headers, over Redis' limit of 4096 bytes");
    }
}
