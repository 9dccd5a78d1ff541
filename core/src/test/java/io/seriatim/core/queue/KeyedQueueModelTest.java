package io.seriatim.core.queue;

import io.seriatim.core.settings.FailurePolicy;
import io.seriatim.core.settings.NamespaceSettings;
import io.seriatim.testkit.RedisExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Model-based randomised test ({@link ModelRun}): thousands of random operations against a real
 * Redis and a plain Java model, compared after every step, with the invariant and the per-key
 * order checked too. {@code -Dseriatim.seed=<seed>} replays a run (the seed is printed first and
 * named in every failure); {@code -Dseriatim.steps=N} sets the length (CI: 10,000).
 */
class KeyedQueueModelTest {
    @RegisterExtension
    static final RedisExtension redis = new RedisExtension();

    @Test
    void onePartitionSkipPolicyNoFairnessLimit() {
        ModelRun.run(redis, NamespaceSettings.builder("model-a").maxAttempts(3).failurePolicy(FailurePolicy.SKIP)
                .fairnessJobs(0), ModelRun.steps());
    }

    @Test
    void twoPartitionsParkPolicyTightFairness() {
        ModelRun.run(redis, NamespaceSettings.builder("model-b").partitions(2).maxAttempts(2)
                .failurePolicy(FailurePolicy.PARK).fairnessJobs(3), ModelRun.steps() / 2);
    }

    @Test
    void twoPartitionsSkipPolicyOneAttempt() {
        ModelRun.run(redis, NamespaceSettings.builder("model-c").partitions(2).maxAttempts(1)
                .failurePolicy(FailurePolicy.SKIP).fairnessJobs(2), ModelRun.steps() / 5);
    }
}
