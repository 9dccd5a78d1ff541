package io.seriatim.core.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.seriatim.core.settings.FailurePolicy;
import io.seriatim.core.settings.NamespaceSettings;
import io.seriatim.testkit.RedisExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The model run on the oldest Redis we support: the 6.2 binary the embedded-redis jar ships. */
class EmbeddedRedisModelTest {
    @RegisterExtension
    static final RedisExtension redis = RedisExtension.onEmbeddedRedis();

    @Test
    void scriptsBehaveTheSameOnRedis62() {
        assertThat(redis.server().version()).startsWith("6.2.");
        ModelRun.run(redis, NamespaceSettings.builder("embedded").partitions(2).maxAttempts(2)
                .failurePolicy(FailurePolicy.SKIP).fairnessJobs(3), Math.max(500, ModelRun.steps() / 10));
    }
}
